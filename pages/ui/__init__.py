"""Shared pieces of the screens: routing, Streamlit's chrome, the question widgets.

A package, not a page: Streamlit's old ``pages/`` folder mode only picks up ``pages/*.py``.
"""
