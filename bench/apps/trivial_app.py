"""The baseline for bench/bench_browser.py: a title and one tiny Altair chart."""

import altair as alt
import pandas as pd
import streamlit as st

st.title("Trivial app")
counts = pd.DataFrame({"status": ["Not started", "Partial", "Implemented"], "count": [3, 2, 1]})
st.altair_chart(alt.Chart(counts).mark_bar().encode(x="count:Q", y="status:N"), width="stretch")
