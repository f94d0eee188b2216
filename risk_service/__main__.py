from risk_service.cli import main

main()
