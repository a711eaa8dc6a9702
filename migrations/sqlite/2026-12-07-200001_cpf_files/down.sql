DROP TABLE cpf_file_steps;
DROP TABLE cpf_files;
