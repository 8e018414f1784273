from pagecomposer.cli import run

run()
