"""Running users' queries within time and size limits: child processes, threads or a remote store."""
