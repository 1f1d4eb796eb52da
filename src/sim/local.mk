# sim module
