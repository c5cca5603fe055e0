"""The one domain error: it carries an HTTP status and a message for people."""


class TwinkgError(Exception):
    status = 400

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
