"""Virus scanning of uploads, a plugin kind (GUIDE §2): the contract in
`base.py`, the registry and `scan()` in `registry.py`, the scanners as sub-apps
in `openamt/core/contrib/` (`clamav`, and `eicar_test` for development)."""
