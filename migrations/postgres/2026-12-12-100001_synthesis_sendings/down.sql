DROP TABLE synthesis_sendings;
