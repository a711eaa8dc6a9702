DROP TABLE quotes;
DROP FUNCTION quotes_offer_fixed();
DROP TABLE quote_counters;
