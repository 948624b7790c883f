"""Electronic seals on PDF documents, a plugin kind (GUIDE §2): the contract in
`base.py`, the registry and `pdf_sign()` in `registry.py`, the PAdES mechanics
every signer shares in `pades.py`, the development CA (`make run`, tests) in
`dev_ca.py`, the signers as sub-apps in `openamt/core/contrib/` (`pyhanko_seal`
with the authority's own key, `csc_seal` with a remote qualified seal service)."""
