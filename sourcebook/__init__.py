"""sourcebook: a static research microsite generator in which every claim links to the exact
passage it rests on. The stages are the subpackages; README.md, "How it works", maps them."""
