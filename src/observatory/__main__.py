from observatory.cli.main import run

run()
