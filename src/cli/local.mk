# cli module
