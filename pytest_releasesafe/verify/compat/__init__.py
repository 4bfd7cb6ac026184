"""Old code, new schema: prove the previous release still works after this release's migrations.

`run_compat` (runner.py) does the work against databases it is handed; `check_compat` (service.py)
gets them from the project's database setting. The CLI (cli.py) and the pytest item
(pytest_plugin.py) are thin layers over `check_compat`.
"""
