from hiring.cli import main

main()
