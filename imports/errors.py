"""The refusal of a whole file, shared by the modules that read one."""


class FileRefused(Exception):
    """The file as a whole cannot be imported; the message says why, for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
