from pagecomposer.cli import main

main()
