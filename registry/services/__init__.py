"""Services: every write and every answer goes through here. Each public function owns its transaction
(it commits or rolls back); the CLI and the HTTP routes only parse input and translate errors."""
