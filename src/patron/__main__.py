from patron.cli.main import app

app()
