"""Bounds on the work one request's input can cause, shared by the API's parser, its
validators, the services and the API's error handler: no request does work, or gets
an answer, in proportion to the junk it sends."""

# Levels of lists and objects in a JSON body the API parses; the deepest any endpoint
# takes is four ({"alternatives": [{"values": {...}}]}).
MAX_DEPTH = 32
# Errors in one answer, whatever the endpoint: a request with a systematic mistake
# gets a readable answer, not one line per item it sent. Validators stop there too.
MAX_ERRORS = 50
# Characters of one error's field path and of its message in an answer.
MAX_FIELD_LENGTH = 200
MAX_MESSAGE_LENGTH = 500
