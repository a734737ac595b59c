/*
 * mask.h - hide personal identifiers in text shown to people or written to logs.
 *
 * DOMAIN.md §9: ID numbers show as 110***********1234 and mobiles as 138****5678
 * everywhere except where a role needs the full value. Pure functions, no I/O.
 */
#ifndef YC_MASK_H
#define YC_MASK_H

/* Copy of s where every 18-character ID-number-shaped run (17 digits + digit/X) and
 * every 11-digit mobile-shaped run (starting with 1) that is not part of a longer run
 * of digits is masked. Caller frees. */
char *mask_text(const char *s);

/* Mask one ID number (keep first 3 and last 4 of 18) or one mobile (keep 3 + 4).
 * Anything else is returned fully starred except its last 2 characters. Caller frees. */
char *mask_id_number(const char *id);
char *mask_phone(const char *phone);

#endif
