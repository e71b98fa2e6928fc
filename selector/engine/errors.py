"""The one exception the engine raises for bad input."""


class EngineError(ValueError):
    """Input the engine cannot use.

    The message names the offending input (which tool, which criterion, which
    value) and, where there is one, what to do about it.
    """
