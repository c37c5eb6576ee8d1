"""Storage: ``schema`` prepares the file (stdlib only), ``engine``/``models``/``repo``
use SQLModel. Import the submodules directly; this package stays light."""
