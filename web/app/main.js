// Entry point of app.html: load every screen (each registers itself with
// the shell), then start the shell. A new screen is one module in screens/
// plus one import line here.

import { startShell } from './shell.js';
import './screens/home.js';
import './screens/users.js';
import './screens/centers.js';
import './screens/windows.js';
import './screens/staff.js';
import './screens/calendar.js';
import './screens/staffing.js';
import './screens/bookings.js';
import './screens/people.js';
import './screens/devices.js';
import './screens/audit.js';
import './screens/catalog.js';
import './screens/catalog-item.js';
import './screens/catalog-edit.js';
import './screens/catalog-review.js';
import './screens/catalog-adjust.js';
import './screens/password.js';

startShell();
