"""Jobs: the service every entry point uses, the runner, the executors and the event channel."""
