"""Thin viewsets: parse with an input serializer, call one service, render the result.

Querysets come from ``selector.selectors`` and are scoped to the caller's workspaces, so
another workspace's tool, evaluation, run or batch is a 404 for every method; the
services refuse viewers (403). One module per resource; ``docs`` holds what they share.
"""
