"""Staff tools (placeholder until the staff-tools issue lands). Reached only at /staff."""

import streamlit as st

st.title("Staff tools", anchor=False)
st.info("Staff tools are coming.")
