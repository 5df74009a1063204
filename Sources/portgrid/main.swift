print("portgrid")
