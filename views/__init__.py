"""What a viewer sees, assembled: access-checked reads from ``db``, counted and cached with
``measures``, documents from ``reports``. Pages call one function per view and draw what it
returns; no Streamlit here. The one cache is ``views.cache``."""
