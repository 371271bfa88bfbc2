"""Text in st.table cells shows as written: ``st.table`` renders every cell as Markdown."""

from __future__ import annotations

import pandas as pd

from pages.ui.plain import plain, plain_cells


def test_cells_that_could_be_markdown_are_escaped_and_others_left_alone() -> None:
    frame = pd.DataFrame(
        {
            "Wie": ["Gemeente [klik](https://x.nl)", "Tilburg", "- met streepje", "Breda"],
            "Cijfer": ["41,2 %", "*vet*", "1. eerste", "$x$ :smile: &amp;"],
            "n": [12, 30, 40, 50],
        },
        index=pd.Index(["a_b", "gewoon", "<b>", "3"], name="Indicator"),
    )
    out = plain_cells(frame)
    assert out.loc["gewoon", "Wie"] == "Tilburg"
    assert out.loc["gewoon", "Cijfer"] == r"\*vet\*"
    assert out["Wie"].iloc[0] == plain("Gemeente [klik](https://x.nl)")
    assert out["Wie"].iloc[0].startswith(r"Gemeente \[klik\]\(https")
    assert out["Wie"].iloc[2] == r"\- met streepje"
    assert out["Cijfer"].iloc[0] == "41,2 %"  # figures stay as they are
    assert out["Cijfer"].iloc[2] == r"1\. eerste"
    assert out["Cijfer"].iloc[3] == r"\$x\$ \:smile\: \&amp;"
    assert list(out.index) == [r"a\_b", "gewoon", r"\<b\>", "3"]
    assert out.index.name == "Indicator"
    assert out["n"].tolist() == [12, 30, 40, 50]
    assert frame.loc["gewoon", "Cijfer"] == "*vet*"  # the input is not changed
