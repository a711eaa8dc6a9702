DROP TABLE quotes;
DROP TABLE quote_counters;
