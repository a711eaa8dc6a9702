DROP TABLE synthesis_comments;
DROP TABLE syntheses;
