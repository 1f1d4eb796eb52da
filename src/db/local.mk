# db module
