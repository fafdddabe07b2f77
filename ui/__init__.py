"""The dashboard's Streamlit widgets and cached loaders (`tracker/` never imports streamlit)."""
