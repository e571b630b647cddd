from thidua_cli.main import main

main()
