from compcalc.cli import main

main()
