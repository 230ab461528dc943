"""For `huey_consumer buurtbegroting.jobs.worker.huey -w 4 -k thread`: the app's huey instance."""

from buurtbegroting import create_app

app = create_app()
huey = app.extensions["huey"]
