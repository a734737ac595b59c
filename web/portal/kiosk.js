// Kiosk mode for the hall's self-service screens: open any portal page once
// with ?kiosk=1 (optionally &idle=SECONDS, 20–3600, default 120) and, for the
// rest of the browser session, a page left untouched that long returns to
// the empty search page, so the next visitor does not see the previous
// visitor's search, answers or checklist.

const KEY = 'portal.kiosk';
const params = new URLSearchParams(location.search);

if (params.get('kiosk') === '1') {
  const idle = Number(params.get('idle'));
  sessionStorage.setItem(KEY, String(Number.isInteger(idle) && idle >= 20 && idle <= 3600 ? idle : 120));
} else if (params.get('kiosk') === '0') {
  sessionStorage.removeItem(KEY);
}

const seconds = Number(sessionStorage.getItem(KEY));
if (seconds > 0) {
  document.documentElement.classList.add('kiosk');
  let timer = 0;
  const home = () => {
    sessionStorage.removeItem('portal.search');
    // Already on an empty search page: nothing to clear.
    if (location.pathname === '/portal/' && !location.search) return;
    location.replace('/portal/');
  };
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(home, seconds * 1000);
  };
  for (const type of ['pointerdown', 'keydown', 'wheel', 'touchstart', 'scroll']) {
    window.addEventListener(type, arm, { passive: true, capture: true });
  }
  arm();
}
