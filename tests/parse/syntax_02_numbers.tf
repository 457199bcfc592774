// Number literals, including exponents.
int       = 12
zero      = 0
leading   = 007
frac      = 3.14159
trailing0 = 2.50
exp       = 1e3
exp_plus  = 1E+2
exp_minus = 2.5e-3
big_exp   = 6.02214076e23
tiny      = 1e-10
neg_exp   = -4.2e1
large     = 123456789012345
float_big = 9007199254740993
list      = [1, 2.0, 3e0, -4, -0.5]
