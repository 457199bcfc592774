

a    =     1


b=2
	c	=	"tabs"
block    "x"     {

  d = 4

}
