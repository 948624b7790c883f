"""XZuFi 2.2 export and import of services, authorities, Zuständigkeiten and online services."""
