package demo

// The word lists below are written for this package (no third-party data), so
// that the generated people look like a real, international B2B audience:
// accented and non-Latin-origin names, compound surnames, apostrophes.

// culture is a naming tradition with the places where it is common.
type culture struct {
	first    []string // given names, mixed genders
	last     []string
	middle   float64 // share of people with a middle name
	hyphen   float64 // share with a double-barrelled surname
	country  []place
	phone    func(r *rng) string
	personal []string // common free mailbox providers
}

// place is a city with its region and country.
type place struct {
	City, State, Country, Code, Continent string
}

var cultures = []culture{
	{ // United States
		first:  []string{"James", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "William", "Linda", "David", "Elizabeth", "Richard", "Barbara", "Joseph", "Susan", "Thomas", "Jessica", "Christopher", "Sarah", "Daniel", "Karen", "Matthew", "Nancy", "Anthony", "Lisa", "Mark", "Ashley", "Steven", "Emily", "Andrew", "Michelle", "Joshua", "Amanda", "Kevin", "Melissa", "Brian", "Stephanie", "Tyler", "Rebecca", "Jacob", "Laura", "Brandon", "Megan", "Jordan", "Taylor", "Cameron", "Morgan", "Dakota", "Aaliyah", "DeShawn", "Keisha", "Jamal", "Tanisha"},
		last:   []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts", "Carter", "Phillips", "Evans", "Turner", "Parker", "Collins", "Edwards", "Stewart", "Morris", "Murphy", "Cook", "Rogers", "O'Connor", "McAllister", "Washington", "Vanderbilt"},
		middle: 0.35,
		hyphen: 0.02,
		country: []place{
			{"New York", "New York", "United States", "US", "North America"},
			{"San Francisco", "California", "United States", "US", "North America"},
			{"Austin", "Texas", "United States", "US", "North America"},
			{"Chicago", "Illinois", "United States", "US", "North America"},
			{"Boston", "Massachusetts", "United States", "US", "North America"},
			{"Seattle", "Washington", "United States", "US", "North America"},
			{"Denver", "Colorado", "United States", "US", "North America"},
			{"Atlanta", "Georgia", "United States", "US", "North America"},
		},
		phone: func(r *rng) string {
			return "+1" + r.pick([]string{"212", "415", "512", "312", "617", "206", "303", "404"}) + r.digitsFrom("23456789", 1) + r.digits(6)
		},
		personal: []string{"gmail.com", "yahoo.com", "outlook.com", "icloud.com", "hotmail.com"},
	},
	{ // United Kingdom and Ireland
		first:  []string{"Oliver", "Amelia", "Harry", "Isla", "George", "Ava", "Jack", "Emily", "Charlie", "Sophie", "Alfie", "Grace", "Freddie", "Poppy", "Archie", "Ella", "Siobhán", "Niamh", "Seán", "Aoife", "Ciarán", "Eoin", "Saoirse", "Rhys", "Cerys", "Gareth", "Fiona", "Hamish", "Imogen", "Rupert"},
		last:   []string{"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "O'Brien", "O'Sullivan", "Ní Bhriain", "MacDonald", "Fitzgerald", "Llewellyn", "Cholmondeley", "Featherstonehaugh", "Ó Súilleabháin", "Kennedy"},
		middle: 0.25,
		hyphen: 0.06,
		country: []place{
			{"London", "England", "United Kingdom", "GB", "Europe"},
			{"Manchester", "England", "United Kingdom", "GB", "Europe"},
			{"Edinburgh", "Scotland", "United Kingdom", "GB", "Europe"},
			{"Bristol", "England", "United Kingdom", "GB", "Europe"},
			{"Dublin", "Leinster", "Ireland", "IE", "Europe"},
			{"Cork", "Munster", "Ireland", "IE", "Europe"},
		},
		phone:    func(r *rng) string { return "+447" + r.digitsFrom("4579", 1) + r.digits(8) },
		personal: []string{"gmail.com", "outlook.com", "hotmail.co.uk", "btinternet.com", "yahoo.co.uk"},
	},
	{ // Germany, Austria, Switzerland
		first:  []string{"Lukas", "Anna", "Jonas", "Lea", "Maximilian", "Hannah", "Felix", "Sophie", "Leon", "Marie", "Paul", "Johanna", "Jürgen", "Jörg", "Günther", "Käthe", "Björn", "Uwe", "Sören", "Anja", "Katharina", "Matthias", "Tobias", "Sabine", "Dörte", "Wolfgang", "Christoph", "Franziska", "Benedikt", "Ursula"},
		last:   []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Weiß", "Groß", "Köhler", "von Bülow", "Jäger", "Straßburger", "Öztürk"},
		middle: 0.15,
		hyphen: 0.05,
		country: []place{
			{"Berlin", "Berlin", "Germany", "DE", "Europe"},
			{"München", "Bayern", "Germany", "DE", "Europe"},
			{"Hamburg", "Hamburg", "Germany", "DE", "Europe"},
			{"Köln", "Nordrhein-Westfalen", "Germany", "DE", "Europe"},
			{"Frankfurt am Main", "Hessen", "Germany", "DE", "Europe"},
			{"Wien", "Wien", "Austria", "AT", "Europe"},
			{"Zürich", "Zürich", "Switzerland", "CH", "Europe"},
		},
		phone:    func(r *rng) string { return "+4915" + r.digitsFrom("12579", 1) + r.digits(8) },
		personal: []string{"gmx.de", "web.de", "t-online.de", "gmail.com", "posteo.de"},
	},
	{ // France, Belgium, Quebec
		first:  []string{"Élodie", "Hélène", "Benoît", "François", "Amélie", "Jérôme", "Zoé", "Chloé", "Clément", "Maëlle", "Théo", "Léa", "Noël", "Anaïs", "Gaëtan", "Loïc", "Céline", "Stéphane", "Mathéo", "Inès", "Jean-Baptiste", "Marie-Claire", "Jean-Luc", "Anne-Sophie", "Pierre", "Camille", "Julien", "Manon", "Nicolas", "Océane"},
		last:   []string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Lefébure", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Chevalier", "de la Fontaine", "Saint-Exupéry", "Béranger", "Gauthier"},
		middle: 0.1,
		hyphen: 0.04,
		country: []place{
			{"Paris", "Île-de-France", "France", "FR", "Europe"},
			{"Lyon", "Auvergne-Rhône-Alpes", "France", "FR", "Europe"},
			{"Marseille", "Provence-Alpes-Côte d'Azur", "France", "FR", "Europe"},
			{"Toulouse", "Occitanie", "France", "FR", "Europe"},
			{"Bordeaux", "Nouvelle-Aquitaine", "France", "FR", "Europe"},
			{"Bruxelles", "Bruxelles-Capitale", "Belgium", "BE", "Europe"},
			{"Montréal", "Québec", "Canada", "CA", "North America"},
		},
		phone:    func(r *rng) string { return "+33" + r.digitsFrom("67", 1) + r.digits(8) },
		personal: []string{"orange.fr", "free.fr", "gmail.com", "laposte.net", "hotmail.fr"},
	},
	{ // Spain and Latin America
		first:  []string{"José", "María", "Jesús", "Lucía", "Álvaro", "Sofía", "Sergio", "Martina", "Raúl", "Inés", "Andrés", "Paula", "Íñigo", "Nuria", "Tomás", "Begoña", "Joaquín", "Ángela", "Rubén", "Mónica", "Óscar", "Valentina", "Santiago", "Camila", "Matías", "Ximena", "Agustín", "Florencia", "Héctor", "Guadalupe"},
		last:   []string{"García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez", "Romero", "Alonso", "Gutiérrez", "Navarro", "Torres", "Domínguez", "Vázquez", "Ramos", "Gil", "Ramírez", "Serrano", "Blanco", "Núñez", "Ibáñez", "Peña"},
		middle: 0.2,
		hyphen: 0.15, // Spanish double surnames
		country: []place{
			{"Madrid", "Comunidad de Madrid", "Spain", "ES", "Europe"},
			{"Barcelona", "Cataluña", "Spain", "ES", "Europe"},
			{"Valencia", "Comunidad Valenciana", "Spain", "ES", "Europe"},
			{"Sevilla", "Andalucía", "Spain", "ES", "Europe"},
			{"Ciudad de México", "CDMX", "Mexico", "MX", "North America"},
			{"Buenos Aires", "Buenos Aires", "Argentina", "AR", "South America"},
			{"Bogotá", "Bogotá D.C.", "Colombia", "CO", "South America"},
		},
		phone:    func(r *rng) string { return "+346" + r.digits(8) },
		personal: []string{"gmail.com", "hotmail.es", "yahoo.es", "outlook.es", "telefonica.net"},
	},
	{ // Nordics
		first:  []string{"Søren", "Mette", "Rasmus", "Freja", "Mads", "Ida", "Jens", "Sofie", "Anders", "Kirsten", "Bjørn", "Åsa", "Øystein", "Ingrid", "Sigrún", "Björk", "Einar", "Astrid", "Lars", "Linnéa", "Jörgen", "Märta", "Pekka", "Aino", "Jyrki", "Tuulikki", "Magnús", "Guðrún", "Håkon", "Ævar"},
		last:   []string{"Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen", "Rasmussen", "Jørgensen", "Johansson", "Andersson", "Karlsson", "Nilsson", "Eriksson", "Lindqvist", "Bergström", "Åkesson", "Lindström", "Sjöberg", "Olsen", "Haugen", "Bråten", "Solberg", "Virtanen", "Mäkinen", "Korhonen", "Hämäläinen", "Guðmundsdóttir", "Jónsson", "Þórsson", "Østergaard"},
		middle: 0.3,
		hyphen: 0.03,
		country: []place{
			{"København", "Hovedstaden", "Denmark", "DK", "Europe"},
			{"Aarhus", "Midtjylland", "Denmark", "DK", "Europe"},
			{"Stockholm", "Stockholms län", "Sweden", "SE", "Europe"},
			{"Göteborg", "Västra Götaland", "Sweden", "SE", "Europe"},
			{"Oslo", "Oslo", "Norway", "NO", "Europe"},
			{"Helsinki", "Uusimaa", "Finland", "FI", "Europe"},
			{"Reykjavík", "Höfuðborgarsvæðið", "Iceland", "IS", "Europe"},
		},
		phone: func(r *rng) string {
			return "+45" + r.pick([]string{"20", "21", "22", "26", "28", "30", "40", "42", "50", "52", "60", "61", "71", "81", "91", "93"}) + r.digits(6)
		},
		personal: []string{"gmail.com", "hotmail.com", "outlook.dk", "live.se", "yahoo.dk"},
	},
	{ // Poland, Czechia, Central Europe
		first:  []string{"Łukasz", "Małgorzata", "Paweł", "Agnieszka", "Michał", "Katarzyna", "Wojciech", "Żaneta", "Krzysztof", "Grażyna", "Jiří", "Tereza", "Tomáš", "Kateřina", "Ondřej", "Zuzana", "Miloš", "Dušan", "Ágnes", "László", "Zsófia", "Gábor", "Bartłomiej", "Jędrzej"},
		last:   []string{"Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur", "Krawczyk", "Novák", "Svoboda", "Dvořák", "Černý", "Procházková", "Kučera", "Nagy", "Kovács", "Tóth", "Szabó", "Horváth", "Grzegorzewski", "Brzęczyszczykiewicz"},
		middle: 0.05,
		hyphen: 0.02,
		country: []place{
			{"Warszawa", "Mazowieckie", "Poland", "PL", "Europe"},
			{"Kraków", "Małopolskie", "Poland", "PL", "Europe"},
			{"Wrocław", "Dolnośląskie", "Poland", "PL", "Europe"},
			{"Praha", "Praha", "Czechia", "CZ", "Europe"},
			{"Brno", "Jihomoravský kraj", "Czechia", "CZ", "Europe"},
			{"Budapest", "Budapest", "Hungary", "HU", "Europe"},
		},
		phone:    func(r *rng) string { return "+48" + r.digitsFrom("5678", 1) + r.digits(8) },
		personal: []string{"wp.pl", "o2.pl", "onet.pl", "gmail.com", "seznam.cz"},
	},
	{ // Brazil and Portugal
		first:  []string{"João", "Maria", "Gonçalo", "Ana", "Luís", "Beatriz", "Tiago", "Inês", "Caio", "Letícia", "Vinícius", "Lúcia", "Antônio", "Conceição", "Sebastião", "Fernanda", "Thiago", "Juliana", "Rafael", "Larissa", "Guilherme", "Gabriela", "Rodrigo", "Aline"},
		last:   []string{"Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira", "Lima", "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "Araújo", "Melo", "Barbosa", "Rocha", "Conceição", "Gonçalves", "Magalhães", "Assunção", "Brandão", "Simões", "dos Santos", "da Silva"},
		middle: 0.4,
		hyphen: 0.02,
		country: []place{
			{"São Paulo", "São Paulo", "Brazil", "BR", "South America"},
			{"Rio de Janeiro", "Rio de Janeiro", "Brazil", "BR", "South America"},
			{"Belo Horizonte", "Minas Gerais", "Brazil", "BR", "South America"},
			{"Florianópolis", "Santa Catarina", "Brazil", "BR", "South America"},
			{"Lisboa", "Lisboa", "Portugal", "PT", "Europe"},
			{"Porto", "Porto", "Portugal", "PT", "Europe"},
		},
		phone: func(r *rng) string {
			return "+55" + r.pick([]string{"11", "21", "31", "41", "48", "51"}) + "9" + r.digitsFrom("6789", 1) + r.digits(7)
		},
		personal: []string{"gmail.com", "hotmail.com", "uol.com.br", "bol.com.br", "sapo.pt"},
	},
	{ // India
		first:  []string{"Aarav", "Priya", "Vivaan", "Ananya", "Aditya", "Diya", "Arjun", "Saanvi", "Rohan", "Isha", "Rahul", "Pooja", "Vikram", "Neha", "Karthik", "Lakshmi", "Sanjay", "Deepika", "Suresh", "Kavya", "Venkatesh", "Meenakshi", "Harpreet", "Gurpreet"},
		last:   []string{"Sharma", "Verma", "Gupta", "Patel", "Singh", "Kumar", "Reddy", "Iyer", "Nair", "Menon", "Rao", "Joshi", "Chatterjee", "Banerjee", "Mukherjee", "Das", "Mehta", "Shah", "Desai", "Pillai", "Krishnamurthy", "Venkataraman", "Subramanian", "Bhattacharya"},
		middle: 0.1,
		hyphen: 0.0,
		country: []place{
			{"Bengaluru", "Karnataka", "India", "IN", "Asia"},
			{"Mumbai", "Maharashtra", "India", "IN", "Asia"},
			{"Pune", "Maharashtra", "India", "IN", "Asia"},
			{"Hyderabad", "Telangana", "India", "IN", "Asia"},
			{"Chennai", "Tamil Nadu", "India", "IN", "Asia"},
			{"New Delhi", "Delhi", "India", "IN", "Asia"},
		},
		phone:    func(r *rng) string { return "+91" + r.digitsFrom("6789", 1) + r.digits(9) },
		personal: []string{"gmail.com", "yahoo.co.in", "rediffmail.com", "outlook.com", "hotmail.com"},
	},
	{ // East and South-East Asia (romanised)
		first:  []string{"Wei", "Xiaoming", "Jing", "Li Na", "Hao", "Mei", "Jun", "Yan", "Haruto", "Yui", "Sota", "Aoi", "Ren", "Sakura", "Min-jun", "Seo-yeon", "Ji-ho", "Ha-eun", "Nguyễn", "Thảo", "Minh", "Linh", "Anh", "Tuấn"},
		last:   []string{"Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Satō", "Suzuki", "Takahashi", "Tanaka", "Itō", "Watanabe", "Kim", "Lee", "Park", "Choi", "Jung", "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng"},
		middle: 0.05,
		hyphen: 0.0,
		country: []place{
			{"Singapore", "", "Singapore", "SG", "Asia"},
			{"Tokyo", "Tokyo", "Japan", "JP", "Asia"},
			{"Osaka", "Osaka", "Japan", "JP", "Asia"},
			{"Seoul", "Seoul", "South Korea", "KR", "Asia"},
			{"Shanghai", "Shanghai", "China", "CN", "Asia"},
			{"Hong Kong", "", "Hong Kong", "HK", "Asia"},
			{"Hà Nội", "Hà Nội", "Vietnam", "VN", "Asia"},
			{"Thành phố Hồ Chí Minh", "Hồ Chí Minh", "Vietnam", "VN", "Asia"},
		},
		phone:    func(r *rng) string { return "+65" + r.digitsFrom("89", 1) + r.digits(7) },
		personal: []string{"gmail.com", "qq.com", "163.com", "yahoo.co.jp", "naver.com"},
	},
	{ // Turkey, Middle East
		first:  []string{"Ayşe", "Mehmet", "Fatma", "Mustafa", "Emine", "Ahmet", "Zeynep", "Hüseyin", "Elif", "Çağrı", "Gökhan", "Şebnem", "İsmail", "Özlem", "Yusuf", "Layla", "Omar", "Fatima", "Karim", "Nour", "Rania", "Tariq", "Yasmin", "Samir"},
		last:   []string{"Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın", "Özdemir", "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Al-Sayed", "El-Amin", "Haddad", "Khoury", "Nasser", "Mansour", "Aziz", "Rahman", "Farouk"},
		middle: 0.1,
		hyphen: 0.0,
		country: []place{
			{"İstanbul", "İstanbul", "Turkey", "TR", "Asia"},
			{"Ankara", "Ankara", "Turkey", "TR", "Asia"},
			{"İzmir", "İzmir", "Turkey", "TR", "Asia"},
			{"Dubai", "Dubai", "United Arab Emirates", "AE", "Asia"},
			{"Abu Dhabi", "Abu Dhabi", "United Arab Emirates", "AE", "Asia"},
			{"Tel Aviv", "Tel Aviv District", "Israel", "IL", "Asia"},
		},
		phone:    func(r *rng) string { return "+905" + r.digitsFrom("345", 1) + r.digits(8) },
		personal: []string{"gmail.com", "hotmail.com", "yandex.com.tr", "outlook.com", "yahoo.com"},
	},
}

// Company name parts.
var (
	companyStems = []string{"North", "Blue", "Silver", "Bright", "Iron", "Clear", "Red", "Green", "Stone", "Swift", "True", "Open", "Deep", "High", "Star", "Sun", "Cloud", "River", "Ocean", "Peak", "Pine", "Oak", "Maple", "Fox", "Wolf", "Falcon", "Eagle", "Lumen", "Nova", "Vertex", "Quant", "Helio", "Terra", "Aero", "Astra", "Nord", "Kvist", "Fjord", "Alpen", "Sol", "Luna", "Mira", "Orbit", "Pixel", "Cobalt", "Amber", "Jade", "Onyx", "Cedar", "Harbor", "Beacon", "Summit", "Atlas", "Zephyr", "Polar", "Ember", "Granite", "Copper", "Signal", "Vector"}
	companyTails = []string{"wind", "field", "gate", "point", "line", "works", "bridge", "stack", "forge", "scale", "path", "wave", "light", "mark", "ridge", "port", "shift", "loop", "grid", "base", "hub", "sense", "flow", "craft", "labs", "ly", "io", "ify", "vault", "nest"}
	companyKinds = []string{"Analytics", "Systems", "Software", "Technologies", "Logistics", "Health", "Energy", "Capital", "Robotics", "Foods", "Media", "Security", "Bio", "Payments", "Consulting", "Networks", "Mobility", "Insurance", "Retail", "Studios", "Data", "Cloud", "Pharma", "Materials", "Learning"}
	// Names in the local style, with accents, so that legal forms and
	// accented company names are exercised too.
	localCompanies = []string{"Müller & Söhne", "Société Générale d'Études", "Høj & Kvist", "Nordlys Energi", "Compañía Ibérica de Datos", "Brandão Tecnologia", "Łódzkie Zakłady Danych", "Özgür Yazılım", "Café Lumière", "Straßen-Werke", "Ærø Shipping", "Göteborgs Mekaniska", "Fábrica São Jorge", "Björk & Lind", "Zürcher Präzision", "Česká Data", "Reykjavík Geothermal", "La Fontaine Conseil", "Sakura Robotics", "Hanwha Data Works"}

	industries = []string{"Software Development", "IT Services and IT Consulting", "Financial Services", "Hospital & Health Care", "Renewable Energy", "Transportation & Logistics", "Retail", "Marketing Services", "Biotechnology", "Insurance", "Manufacturing", "Media Production", "Education", "Computer & Network Security", "Food & Beverages", "Telecommunications", "Real Estate", "Pharmaceuticals", "E-Learning", "Consumer Electronics"}
	// employeeRanges are LinkedIn's size buckets with a representative count range.
	employeeRanges = []struct {
		Range    string
		Min, Max int
		Revenue  string
	}{
		{"11-50", 11, 50, "1M-10M"},
		{"51-200", 51, 200, "10M-50M"},
		{"201-500", 201, 500, "50M-100M"},
		{"501-1000", 501, 1000, "100M-500M"},
		{"1001-5000", 1001, 5000, "500M-1B"},
		{"5001-10000", 5001, 10000, "1B-10B"},
		{"10001+", 10001, 60000, "10B+"},
	}
	legalForms = map[string][]string{
		"US": {"Inc.", "LLC", "Corp."}, "GB": {"Ltd", "PLC"}, "IE": {"Ltd", "DAC"},
		"DE": {"GmbH", "AG", "GmbH & Co. KG"}, "AT": {"GmbH", "AG"}, "CH": {"AG", "SA"},
		"FR": {"SAS", "SA", "SARL"}, "BE": {"SA", "BV"}, "CA": {"Inc.", "Ltée"},
		"ES": {"S.L.", "S.A."}, "MX": {"S.A. de C.V."}, "AR": {"S.A.", "S.R.L."}, "CO": {"S.A.S."},
		"DK": {"ApS", "A/S"}, "SE": {"AB"}, "NO": {"AS", "ASA"}, "FI": {"Oy", "Oyj"}, "IS": {"ehf.", "hf."},
		"PL": {"sp. z o.o.", "S.A."}, "CZ": {"s.r.o.", "a.s."}, "HU": {"Kft.", "Zrt."},
		"BR": {"Ltda.", "S.A."}, "PT": {"Lda.", "S.A."}, "IN": {"Pvt. Ltd.", "Ltd."},
		"SG": {"Pte. Ltd."}, "JP": {"K.K.", "Co., Ltd."}, "KR": {"Co., Ltd."}, "CN": {"Co., Ltd."},
		"HK": {"Limited"}, "VN": {"JSC", "Co., Ltd."}, "TR": {"A.Ş.", "Ltd. Şti."}, "AE": {"LLC", "FZ-LLC"}, "IL": {"Ltd."},
	}
	tlds = map[string][]string{
		"US": {"com", "io", "ai", "co"}, "GB": {"co.uk", "com", "io"}, "IE": {"ie", "com"}, "DE": {"de", "com", "io"},
		"AT": {"at", "com"}, "CH": {"ch", "com"}, "FR": {"fr", "com", "io"}, "BE": {"be", "com"}, "CA": {"ca", "com"},
		"ES": {"es", "com"}, "MX": {"com.mx", "mx"}, "AR": {"com.ar"}, "CO": {"com.co", "co"}, "DK": {"dk", "com", "io"},
		"SE": {"se", "com"}, "NO": {"no", "com"}, "FI": {"fi", "com"}, "IS": {"is"}, "PL": {"pl", "com"}, "CZ": {"cz"},
		"HU": {"hu"}, "BR": {"com.br"}, "PT": {"pt", "com"}, "IN": {"in", "co.in", "com"}, "SG": {"sg", "com.sg", "com"},
		"JP": {"co.jp", "jp", "com"}, "KR": {"co.kr", "com"}, "CN": {"cn", "com.cn"}, "HK": {"com.hk", "hk"},
		"VN": {"vn", "com.vn"}, "TR": {"com.tr"}, "AE": {"ae", "com"}, "IL": {"co.il", "com"},
	}
	// emailPatterns are the usual corporate address schemes, in Company.EmailPattern syntax.
	emailPatterns = []string{"{first}.{last}", "{first}.{last}", "{first}.{last}", "{f}{last}", "{f}{last}", "{first}", "{first}{l}", "{first}_{last}", "{last}.{first}", "{last}"}
)

// department is a function with titles by seniority and typical skills.
type department struct {
	Name                      string
	Junior, Mid, Senior, Exec []string
	Skills                    []string
	Degrees                   []string // fields of study
}

var departments = []department{
	{"Engineering",
		[]string{"Junior Software Engineer", "Graduate Developer", "QA Engineer", "Software Engineer I"},
		[]string{"Software Engineer", "Backend Engineer", "Frontend Developer", "DevOps Engineer", "Site Reliability Engineer", "Mobile Developer"},
		[]string{"Senior Software Engineer", "Staff Engineer", "Principal Engineer", "Engineering Manager", "Tech Lead", "Director of Engineering"},
		[]string{"Chief Technology Officer", "VP of Engineering", "Co-Founder & CTO"},
		[]string{"Go", "Python", "Java", "TypeScript", "Kubernetes", "PostgreSQL", "AWS", "Distributed Systems", "React", "Rust", "Terraform", "gRPC", "CI/CD", "Microservices", "Linux"},
		[]string{"Computer Science", "Software Engineering", "Electrical Engineering", "Mathematics"}},
	{"Data",
		[]string{"Data Analyst", "Junior Data Scientist", "BI Analyst"},
		[]string{"Data Scientist", "Data Engineer", "Machine Learning Engineer", "Analytics Engineer"},
		[]string{"Senior Data Scientist", "Lead Data Engineer", "Head of Data", "Director of Analytics"},
		[]string{"Chief Data Officer", "VP of Data"},
		[]string{"SQL", "Python", "Machine Learning", "dbt", "Spark", "Statistics", "Tableau", "PyTorch", "Airflow", "A/B Testing", "Snowflake"},
		[]string{"Statistics", "Computer Science", "Physics", "Econometrics"}},
	{"Sales",
		[]string{"Sales Development Representative", "Business Development Representative", "Inside Sales Associate"},
		[]string{"Account Executive", "Account Manager", "Sales Engineer", "Partner Manager"},
		[]string{"Senior Account Executive", "Enterprise Account Executive", "Sales Manager", "Head of Sales", "Regional Sales Director"},
		[]string{"Chief Revenue Officer", "VP of Sales", "SVP Sales EMEA"},
		[]string{"Salesforce", "Negotiation", "B2B Sales", "SaaS", "Pipeline Management", "Cold Calling", "MEDDIC", "Key Account Management", "HubSpot"},
		[]string{"Business Administration", "Marketing", "Economics", "Communication"}},
	{"Marketing",
		[]string{"Marketing Coordinator", "Marketing Assistant", "Social Media Specialist"},
		[]string{"Product Marketing Manager", "Content Marketing Manager", "Growth Marketer", "SEO Specialist", "Brand Manager"},
		[]string{"Senior Product Marketing Manager", "Head of Marketing", "Director of Demand Generation", "Marketing Manager"},
		[]string{"Chief Marketing Officer", "VP of Marketing"},
		[]string{"SEO", "Content Strategy", "Google Analytics", "Demand Generation", "Copywriting", "Brand Strategy", "Marketing Automation", "Paid Social", "Events"},
		[]string{"Marketing", "Communication", "Journalism", "Business Administration"}},
	{"Finance",
		[]string{"Junior Accountant", "Accounts Payable Clerk", "Finance Assistant"},
		[]string{"Accountant", "Financial Analyst", "FP&A Analyst", "Controller"},
		[]string{"Senior Financial Analyst", "Finance Manager", "Head of Finance", "Financial Controller", "Director of FP&A"},
		[]string{"Chief Financial Officer", "VP of Finance"},
		[]string{"Financial Modeling", "IFRS", "US GAAP", "Excel", "Budgeting", "SAP", "Forecasting", "Audit", "Treasury"},
		[]string{"Finance", "Accounting", "Economics", "Business Administration"}},
	{"Human Resources",
		[]string{"HR Assistant", "Recruiting Coordinator", "Talent Sourcer"},
		[]string{"HR Business Partner", "Recruiter", "Technical Recruiter", "People Operations Specialist"},
		[]string{"Senior Recruiter", "Head of People", "Talent Acquisition Manager", "HR Director"},
		[]string{"Chief People Officer", "VP of People"},
		[]string{"Recruiting", "Employer Branding", "Employee Relations", "Compensation & Benefits", "Onboarding", "Workday", "Labor Law"},
		[]string{"Psychology", "Human Resource Management", "Law", "Sociology"}},
	{"Operations",
		[]string{"Operations Associate", "Logistics Coordinator", "Office Assistant"},
		[]string{"Operations Manager", "Supply Chain Analyst", "Project Manager", "Procurement Specialist"},
		[]string{"Senior Operations Manager", "Head of Operations", "Director of Supply Chain", "Program Director"},
		[]string{"Chief Operating Officer", "VP of Operations", "Managing Director"},
		[]string{"Supply Chain Management", "Lean Six Sigma", "Project Management", "Procurement", "Logistics", "ERP", "Process Improvement", "Vendor Management"},
		[]string{"Industrial Engineering", "Business Administration", "Logistics", "Economics"}},
	{"Product",
		[]string{"Associate Product Manager", "Junior UX Designer", "Product Analyst"},
		[]string{"Product Manager", "Product Designer", "UX Researcher", "Product Owner"},
		[]string{"Senior Product Manager", "Group Product Manager", "Head of Product", "Design Lead", "Director of Product"},
		[]string{"Chief Product Officer", "VP of Product"},
		[]string{"Product Management", "Roadmapping", "User Research", "Figma", "Agile", "Jira", "Product Discovery", "Prototyping", "OKRs"},
		[]string{"Design", "Human-Computer Interaction", "Computer Science", "Business Administration"}},
	{"Customer Success",
		[]string{"Customer Support Specialist", "Support Agent", "Onboarding Specialist"},
		[]string{"Customer Success Manager", "Technical Account Manager", "Implementation Consultant"},
		[]string{"Senior Customer Success Manager", "Head of Customer Success", "Director of Support"},
		[]string{"Chief Customer Officer", "VP of Customer Success"},
		[]string{"Customer Retention", "Zendesk", "Account Management", "Onboarding", "Churn Reduction", "Gainsight", "Customer Experience"},
		[]string{"Communication", "Business Administration", "Psychology", "Languages"}},
	{"Legal",
		[]string{"Paralegal", "Legal Assistant", "Compliance Analyst"},
		[]string{"Legal Counsel", "Compliance Officer", "Privacy Counsel", "Contract Manager"},
		[]string{"Senior Legal Counsel", "Head of Legal", "Data Protection Officer", "Director of Compliance"},
		[]string{"General Counsel", "Chief Legal Officer"},
		[]string{"Contract Law", "GDPR", "Compliance", "Corporate Law", "Intellectual Property", "Litigation", "Commercial Agreements"},
		[]string{"Law", "European Law", "Political Science"}},
}

var (
	degrees   = []string{"Bachelor of Science", "Bachelor of Arts", "Master of Science", "Master of Arts", "MBA", "PhD", "BEng", "MEng", "Licenciatura", "Diplom-Ingenieur"}
	schools   = map[string][]string{"US": {"Stanford University", "Massachusetts Institute of Technology", "University of Michigan", "University of Texas at Austin", "Georgia Institute of Technology", "New York University", "University of Washington"}, "GB": {"University of Oxford", "University of Cambridge", "Imperial College London", "University of Edinburgh", "London School of Economics"}, "IE": {"Trinity College Dublin", "University College Cork"}, "DE": {"Technische Universität München", "Ludwig-Maximilians-Universität München", "Humboldt-Universität zu Berlin", "RWTH Aachen", "Universität zu Köln"}, "AT": {"Universität Wien", "TU Wien"}, "CH": {"ETH Zürich", "Université de Genève"}, "FR": {"École Polytechnique", "HEC Paris", "Sciences Po", "Université Paris-Saclay", "ESSEC Business School"}, "BE": {"KU Leuven", "Université libre de Bruxelles"}, "CA": {"Université de Montréal", "McGill University"}, "ES": {"Universidad Complutense de Madrid", "Universitat de Barcelona", "IE Business School", "Universidad Politécnica de Madrid"}, "MX": {"Universidad Nacional Autónoma de México", "Tecnológico de Monterrey"}, "AR": {"Universidad de Buenos Aires"}, "CO": {"Universidad de los Andes"}, "DK": {"Københavns Universitet", "Danmarks Tekniske Universitet", "Aarhus Universitet", "Copenhagen Business School"}, "SE": {"KTH Kungliga Tekniska högskolan", "Lunds universitet", "Chalmers tekniska högskola"}, "NO": {"Universitetet i Oslo", "NTNU"}, "FI": {"Aalto-yliopisto", "Helsingin yliopisto"}, "IS": {"Háskóli Íslands"}, "PL": {"Uniwersytet Warszawski", "Politechnika Wrocławska", "Uniwersytet Jagielloński"}, "CZ": {"Univerzita Karlova", "České vysoké učení technické"}, "HU": {"Budapesti Műszaki és Gazdaságtudományi Egyetem"}, "BR": {"Universidade de São Paulo", "Universidade Estadual de Campinas", "Fundação Getulio Vargas"}, "PT": {"Universidade de Lisboa", "Universidade do Porto"}, "IN": {"Indian Institute of Technology Bombay", "Indian Institute of Science", "IIM Ahmedabad", "BITS Pilani"}, "SG": {"National University of Singapore", "Nanyang Technological University"}, "JP": {"University of Tokyo", "Kyoto University"}, "KR": {"Seoul National University", "KAIST"}, "CN": {"Tsinghua University", "Peking University", "Fudan University"}, "HK": {"University of Hong Kong"}, "VN": {"Đại học Quốc gia Hà Nội"}, "TR": {"Boğaziçi Üniversitesi", "Orta Doğu Teknik Üniversitesi"}, "AE": {"Khalifa University"}, "IL": {"Technion", "Tel Aviv University"}}
	languages = map[string][]string{"US": {"English"}, "GB": {"English"}, "IE": {"English", "Irish"}, "DE": {"German", "English"}, "AT": {"German", "English"}, "CH": {"German", "French", "English"}, "FR": {"French", "English"}, "BE": {"French", "Dutch", "English"}, "CA": {"French", "English"}, "ES": {"Spanish", "English"}, "MX": {"Spanish", "English"}, "AR": {"Spanish"}, "CO": {"Spanish", "English"}, "DK": {"Danish", "English"}, "SE": {"Swedish", "English"}, "NO": {"Norwegian", "English"}, "FI": {"Finnish", "Swedish", "English"}, "IS": {"Icelandic", "English"}, "PL": {"Polish", "English"}, "CZ": {"Czech", "English"}, "HU": {"Hungarian", "English"}, "BR": {"Portuguese", "English"}, "PT": {"Portuguese", "English"}, "IN": {"Hindi", "English"}, "SG": {"English", "Mandarin"}, "JP": {"Japanese", "English"}, "KR": {"Korean", "English"}, "CN": {"Mandarin", "English"}, "HK": {"Cantonese", "English"}, "VN": {"Vietnamese", "English"}, "TR": {"Turkish", "English"}, "AE": {"Arabic", "English"}, "IL": {"Hebrew", "English"}}
)
