-- 0016: a waiting-list offer holds its place and expires.
-- While an application is 'offered' its place counts in shifts.taken (so the
-- CHECK (taken <= capacity) of 0010 guards offers too), and offer_expires_at
-- says until when the place is held (BOOKING_OFFER_HOLD_SECONDS, 48 hours,
-- after offered_at); the offer_expiry job then declines it and offers the
-- place to the next on the waiting list.
ALTER TABLE applications ADD COLUMN offer_expires_at BIGINT;
CREATE INDEX applications_offer_expiry ON applications(offer_expires_at) WHERE status = 'offered';

-- Offers made before this version did not hold a place.  Where the shift has
-- no room left for them (someone else was accepted meanwhile), they go back
-- to the waiting list, keeping their turn (waitlisted_at); the others now
-- hold their place and expire 48 hours after they were made (at once, through
-- the worker's scan, when that is already past).
UPDATE applications SET status = 'waitlisted', offered_at = NULL
 WHERE status = 'offered' AND shift_id IN (
   SELECT s.id FROM shifts s
    WHERE s.taken + (SELECT count(*) FROM applications o WHERE o.shift_id = s.id AND o.status = 'offered') > s.capacity);
UPDATE shifts SET taken = taken + (SELECT count(*) FROM applications a WHERE a.shift_id = shifts.id AND a.status = 'offered')
 WHERE id IN (SELECT shift_id FROM applications WHERE status = 'offered' AND shift_id IS NOT NULL);
UPDATE applications SET offer_expires_at = COALESCE(offered_at, updated_at) + 172800 WHERE status = 'offered';
