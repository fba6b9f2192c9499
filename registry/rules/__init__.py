"""Pure rules: statuses, the validity engine, references, working days. They know nothing of storage:
they take dates and facts and return answers, so they are tested without a database."""
