DROP TABLE invoice_reminders;
DROP TABLE payments;
DROP TABLE invoices;
DROP TABLE invoice_counters;
DROP TABLE fundings;
DROP TABLE payers;
