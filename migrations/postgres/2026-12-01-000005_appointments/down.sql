DROP TABLE outbox;
DROP TABLE calendar_feeds;
DROP TABLE video_events;
DROP TABLE attendance_signatures;
DROP TABLE appointment_cells;
DROP TABLE appointments;
DROP TABLE availabilities;
ALTER TABLE users DROP COLUMN sms_reminders;
ALTER TABLE bilans DROP COLUMN planned_end_on;
