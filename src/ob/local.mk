# ob module
