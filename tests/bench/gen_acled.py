#!/usr/bin/env python3
"""gen_acled.py — a synthetic incident catalog in ACLED's export format.

Usage: tests/bench/gen_acled.py N OUT.csv   (OUT "-" for stdout)

Writes N events in Tajikistan, Kyrgyzstan, Uzbekistan, Afghanistan,
Kazakhstan and Turkmenistan with the header and conventions of ACLED's
current CSV export: dates as "14 September 2022", text actor types in
inter1/inter2 ("State forces") and interaction ("State forces-Protesters",
"Protesters only"), numeric ISO country codes, coordinates with four
decimals, notes with commas and quotation marks, a unix timestamp. Events
are sorted newest first, as the export is. The same N gives the same bytes
(fixed seed, standard library only).
"""
import csv
import datetime
import random
import sys

HEADER = ("event_id_cnty,event_date,year,time_precision,disorder_type,event_type,"
          "sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,"
          "interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
          "location,latitude,longitude,geo_precision,source,source_scale,notes,"
          "fatalities,tags,timestamp").split(",")

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]

# name, ISO 3166 numeric, ISO3 (event id prefix), ACLED region, rough box
# (lon_min, lat_min, lon_max, lat_max), weight, state actors, demonym
COUNTRIES = [
    ("Tajikistan", 762, "TJK", "Caucasus and Central Asia", (67.4, 36.7, 75.1, 41.0), 14,
     ("Military Forces of Tajikistan (1994-)", "Police Forces of Tajikistan (1994-)"), "Tajik"),
    ("Kyrgyzstan", 417, "KGZ", "Caucasus and Central Asia", (69.3, 39.2, 80.2, 43.2), 14,
     ("Military Forces of Kyrgyzstan (2021-)", "Police Forces of Kyrgyzstan (2021-)"), "Kyrgyz"),
    ("Uzbekistan", 860, "UZB", "Caucasus and Central Asia", (56.0, 37.2, 73.1, 45.6), 10,
     ("Military Forces of Uzbekistan (2016-)", "Police Forces of Uzbekistan (2016-)"), "Uzbek"),
    ("Afghanistan", 4, "AFG", "South Asia", (60.5, 29.4, 74.9, 38.5), 40,
     ("Military Forces of Afghanistan (2021-)", "Police Forces of Afghanistan (2021-)"),
     "Afghan"),
    ("Kazakhstan", 398, "KAZ", "Caucasus and Central Asia", (46.5, 40.6, 87.3, 55.4), 17,
     ("Military Forces of Kazakhstan (2019-)", "Police Forces of Kazakhstan (2019-)"), "Kazakh"),
    ("Turkmenistan", 795, "TKM", "Caucasus and Central Asia", (52.5, 35.1, 66.7, 42.8), 5,
     ("Military Forces of Turkmenistan (2007-)", "Police Forces of Turkmenistan (2007-)"),
     "Turkmen"),
]

# location, admin1, admin2, lat, lon
PLACES = {
    "Tajikistan": [
        ("Dushanbe", "Dushanbe", "", 38.5598, 68.7870),
        ("Khujand", "Sughd", "Khujand", 40.2826, 69.6221),
        ("Kulob", "Khatlon", "Kulob", 37.9146, 69.7845),
        ("Bokhtar", "Khatlon", "Bokhtar", 37.8364, 68.7803),
        ("Khorugh", "Gorno-Badakhshan", "Khorugh", 37.4897, 71.5530),
        ("Isfara", "Sughd", "Isfara", 40.1265, 70.6252),
        ("Vorukh", "Sughd", "Isfara", 39.8500, 70.5833),
        ("Murghob", "Gorno-Badakhshan", "Murghob", 38.1700, 73.9640),
        ("Gharm", "Districts of Republican Subordination", "Rasht", 39.0210, 70.3750),
        ("Panji Poyon", "Khatlon", "Qumsangir", 37.2380, 68.6650),
    ],
    "Kyrgyzstan": [
        ("Bishkek", "Bishkek", "", 42.8746, 74.5698),
        ("Osh", "Osh", "", 40.5283, 72.7985),
        ("Batken", "Batken", "Batken", 40.0627, 70.8190),
        ("Kok-Tash", "Batken", "Batken", 39.9560, 70.8740),
        ("Isfana", "Batken", "Leilek", 39.8389, 69.5276),
        ("Jalal-Abad", "Jalal-Abad", "Suzak", 40.9333, 72.9833),
        ("Karakol", "Issyk-Kul", "Karakol", 42.4907, 78.3936),
        ("Naryn", "Naryn", "Naryn", 41.4287, 75.9911),
    ],
    "Uzbekistan": [
        ("Tashkent", "Tashkent City", "", 41.2995, 69.2401),
        ("Samarkand", "Samarqand", "Samarqand", 39.6542, 66.9597),
        ("Nukus", "Karakalpakstan", "Nukus", 42.4600, 59.6100),
        ("Andijan", "Andijon", "Andijon", 40.7821, 72.3442),
        ("Termez", "Surxondaryo", "Termiz", 37.2242, 67.2783),
        ("Namangan", "Namangan", "Namangan", 40.9983, 71.6726),
        ("Bukhara", "Buxoro", "Buxoro", 39.7747, 64.4286),
        ("Fergana", "Fargona", "Fargona", 40.3864, 71.7864),
    ],
    "Afghanistan": [
        ("Kabul", "Kabul", "Kabul", 34.5553, 69.2075),
        ("Kunduz", "Kunduz", "Kunduz", 36.7280, 68.8680),
        ("Mazar-e Sharif", "Balkh", "Mazar-e Sharif", 36.7090, 67.1109),
        ("Herat", "Herat", "Herat", 34.3482, 62.1997),
        ("Faizabad", "Badakhshan", "Faizabad", 37.1166, 70.5800),
        ("Jalalabad", "Nangarhar", "Jalalabad", 34.4265, 70.4515),
        ("Kandahar", "Kandahar", "Kandahar", 31.6133, 65.7101),
        ("Imam Sahib", "Kunduz", "Imam Sahib", 37.1800, 68.9200),
        ("Sheberghan", "Jowzjan", "Sheberghan", 36.6676, 65.7529),
        ("Panjshir", "Panjshir", "Bazarak", 35.3130, 69.5190),
    ],
    "Kazakhstan": [
        ("Almaty", "Almaty", "", 43.2220, 76.8512),
        ("Astana", "Astana", "", 51.1694, 71.4491),
        ("Zhanaozen", "Mangystau", "Zhanaozen", 43.3412, 52.8619),
        ("Aktau", "Mangystau", "Aktau", 43.6532, 51.1975),
        ("Shymkent", "Shymkent", "", 42.3417, 69.5901),
        ("Karaganda", "Karaganda", "Karaganda", 49.8047, 73.1094),
        ("Taraz", "Zhambyl", "Taraz", 42.9000, 71.3667),
        ("Aktobe", "Aktobe", "Aktobe", 50.2839, 57.1670),
    ],
    "Turkmenistan": [
        ("Ashgabat", "Ashgabat", "", 37.9601, 58.3261),
        ("Turkmenabat", "Lebap", "Turkmenabat", 39.0733, 63.5786),
        ("Dashoguz", "Dashoguz", "Dashoguz", 41.8363, 59.9666),
        ("Mary", "Mary", "Mary", 37.6000, 61.8333),
        ("Serhetabat", "Mary", "Serhetabat", 35.2799, 62.3438),
        ("Balkanabat", "Balkan", "Balkanabat", 39.5108, 54.3671),
    ],
}

# event type -> [(sub-event type, weight)], and the event type weights of
# Afghanistan and of the other countries.
SUB_EVENTS = {
    "Battles": [("Armed clash", 90), ("Government regains territory", 5),
                ("Non-state actor overtakes territory", 5)],
    "Explosions/Remote violence": [
        ("Shelling/artillery/missile attack", 35), ("Remote explosive/landmine/IED", 30),
        ("Air/drone strike", 20), ("Grenade", 8), ("Suicide bomb", 6), ("Chemical weapon", 1)],
    "Violence against civilians": [("Attack", 75), ("Abduction/forced disappearance", 20),
                                   ("Sexual violence", 5)],
    "Protests": [("Peaceful protest", 80), ("Protest with intervention", 15),
                 ("Excessive force against protesters", 5)],
    "Riots": [("Violent demonstration", 60), ("Mob violence", 40)],
    "Strategic developments": [
        ("Arrests", 35), ("Agreement", 10), ("Change to group/activity", 15),
        ("Disrupted weapons use", 10), ("Headquarters or base established", 5),
        ("Looting/property destruction", 10), ("Non-violent transfer of territory", 3),
        ("Other", 12)],
}
TYPE_WEIGHTS = {
    "Afghanistan": [("Battles", 30), ("Explosions/Remote violence", 20),
                    ("Violence against civilians", 25), ("Protests", 10), ("Riots", 2),
                    ("Strategic developments", 13)],
    "other": [("Battles", 6), ("Explosions/Remote violence", 4),
              ("Violence against civilians", 8), ("Protests", 55), ("Riots", 7),
              ("Strategic developments", 20)],
}

SOURCES = {
    "Tajikistan": ["Asia-Plus", "Radio Ozodi", "Avesta", "Khovar"],
    "Kyrgyzstan": ["24.kg", "AKIpress", "Kaktus Media", "Radio Azattyk"],
    "Uzbekistan": ["Kun.uz", "Gazeta.uz", "Radio Ozodlik", "UzDaily"],
    "Afghanistan": ["Pajhwok Afghan News", "Tolo News", "Afghanistan International",
                    "Hasht-e Subh", "Amu TV"],
    "Kazakhstan": ["Kazinform", "Vlast.kz", "Radio Azattyq", "Orda.kz"],
    "Turkmenistan": ["Chronicles of Turkmenistan", "Turkmen.news", "Radio Azatlyk"],
}
INTERNATIONAL = ["Reuters", "AFP", "RFE/RL", "Eurasianet", "Xinhua", "TASS"]
SCALES = [("National", 45), ("Subnational", 15), ("National-International", 15),
          ("International", 10), ("New media", 8), ("Other-National", 7)]

CODE = {"State forces": 1, "Rebel group": 2, "Political militia": 3, "Identity militia": 4,
        "Rioters": 5, "Protesters": 6, "Civilians": 7, "External/Other forces": 8}


def pick(rng, weighted):
    total = sum(w for _, w in weighted)
    r = rng.random() * total
    for item, w in weighted:
        r -= w
        if r < 0:
            return item
    return weighted[-1][0]


def acled_date(d):
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def actors(rng, country, demonym, military, police, etype, sub):
    """actor1, assoc1, inter1, actor2, assoc2, inter2, civilian_targeting"""
    civ = f"Civilians ({country})"
    prot = f"Protesters ({country})"
    riot = f"Rioters ({country})"
    if country == "Afghanistan":
        armed = rng.choice([("NRF: National Resistance Front", "Rebel group"),
                            ("AFF: Afghanistan Freedom Front", "Rebel group"),
                            ("Islamic State (Afghanistan)", "Rebel group"),
                            ("Unidentified Armed Group (Afghanistan)", "Political militia")])
    else:
        neighbour = {"Tajikistan": "Military Forces of Kyrgyzstan (2021-)",
                     "Kyrgyzstan": "Military Forces of Tajikistan (1994-)",
                     "Uzbekistan": "Military Forces of Kyrgyzstan (2021-)",
                     "Kazakhstan": "Military Forces of Uzbekistan (2016-)",
                     "Turkmenistan": "Military Forces of Afghanistan (2021-)"}[country]
        armed = rng.choice([(neighbour, "State forces"),
                            (f"Unidentified Armed Group ({country})", "Political militia"),
                            (f"{demonym} Ethnic Militia ({country})", "Identity militia")])
    if etype == "Battles":
        return military, "", "State forces", armed[0], "", armed[1], ""
    if etype == "Explosions/Remote violence":
        if sub == "Air/drone strike" and country == "Afghanistan":
            return ("Military Forces of Pakistan (2018-)", "", "External/Other forces",
                    armed[0], f"Civilians ({country})", armed[1], "Civilian targeting")
        if rng.random() < 0.5:
            return armed[0], "", armed[1], civ, "", "Civilians", "Civilian targeting"
        return military, "", "State forces", armed[0], "", armed[1], ""
    if etype == "Violence against civilians":
        a = rng.choice([(armed[0], armed[1]), (police, "State forces"), (military, "State forces")])
        assoc = rng.choice(["", f"Women ({country})", f"Journalists ({country})",
                            f"Labor Group ({country}); Women ({country})"])
        return a[0], "", a[1], civ, assoc, "Civilians", "Civilian targeting"
    if etype == "Protests":
        assoc = rng.choice(["", f"Labor Group ({country})", f"Women ({country})",
                            f"Students ({country})", f"Labor Group ({country}); Women ({country})"])
        if sub == "Peaceful protest":
            return prot, assoc, "Protesters", "", "", "", ""
        if sub == "Protest with intervention":
            return prot, assoc, "Protesters", police, "", "State forces", ""
        return police, "", "State forces", prot, assoc, "Protesters", ""
    if etype == "Riots":
        if sub == "Mob violence":
            return riot, "", "Rioters", civ, "", "Civilians", "Civilian targeting"
        if rng.random() < 0.5:
            return riot, "", "Rioters", police, "", "State forces", ""
        return riot, "", "Rioters", "", "", "", ""
    # Strategic developments
    if sub in ("Arrests", "Disrupted weapons use"):
        return police, "", "State forces", civ, "", "Civilians", ""
    if sub == "Agreement":
        other = {"Tajikistan": "Government of Kyrgyzstan (2021-)",
                 "Kyrgyzstan": "Government of Tajikistan (1994-)"}.get(
            country, "Government of Russia (2000-)")
        return f"Government of {country}", "", "State forces", other, "", "State forces", ""
    return armed[0], "", armed[1], "", "", "", ""


def interaction(inter1, inter2):
    if not inter2:
        return f"{inter1} only"
    a, b = sorted((inter1, inter2), key=CODE.get)
    return f"{a}-{b}"


def disorder(etype, sub):
    if sub in ("Excessive force against protesters", "Mob violence"):
        return "Political violence; Demonstrations"
    if etype in ("Protests", "Riots"):
        return "Demonstrations"
    if etype == "Strategic developments":
        return "Strategic developments"
    return "Political violence"


def notes(rng, d, etype, sub, loc, admin1, a1, a2, fatalities):
    when = f"On {acled_date(d)}" if rng.random() < 0.8 else f"Around {acled_date(d)} (as reported)"
    place = f"in {loc} ({admin1})"
    said = rng.choice(["local officials said", "according to a statement by the interior ministry",
                       "a witness told the outlet", "the report said"])
    if etype == "Battles":
        text = (f"{when}, {a1} clashed with {a2} {place}. {fatalities} people were killed, "
                f"{said}; the fighting was described as \"the heaviest in months\".")
    elif etype == "Explosions/Remote violence":
        text = (f"{when}, {a1} carried out a {sub.lower().replace('ied', 'IED')} {place}, targeting {a2 or 'a checkpoint'}. "
                f"Fatalities: {fatalities}. Residents reported \"several loud explosions\", {said}.")
    elif etype == "Violence against civilians":
        text = (f"{when}, {a1} attacked {a2} {place}. {said.capitalize()}, "
                f"\"the victims were unarmed\"; {fatalities} reported killed.")
    elif etype == "Protests":
        demand = rng.choice(["unpaid wages", "rising prices, especially of fuel",
                             "the border demarcation agreement", "water shortages"])
        text = (f"{when}, {a1} gathered {place} over {demand}, demanding \"an answer, "
                f"not promises\". [size=no report]")
    elif etype == "Riots":
        text = (f"{when}, {a1} threw stones, set cars on fire and damaged shops {place}; "
                f"police said \"order was restored\" by evening. {fatalities} fatalities.")
    else:
        text = (f"{when}, {sub.lower()} {place} involving {a1}, {said}. The move, called \"temporary\", "
                f"drew criticism.")
    return text


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen_acled.py N OUT.csv")
    n = int(sys.argv[1])
    out = sys.stdout if sys.argv[2] == "-" else open(sys.argv[2], "w", newline="", encoding="utf-8")
    rng = random.Random(20220914)
    w = csv.writer(out)  # quotes only where needed, CRLF line ends
    w.writerow(HEADER)
    first, last = datetime.date(2018, 1, 1), datetime.date(2024, 12, 31)
    days = (last - first).days + 1
    counters = {c[0]: 1000 for c in COUNTRIES}
    country_weights = [(c, c[5]) for c in COUNTRIES]
    for i in range(n):
        d = last - datetime.timedelta(days=i * days // max(n, 1))  # newest first
        country, iso, iso3, region, box, _, (military, police), demonym = pick(rng, country_weights)
        counters[country] += 1
        etype = pick(rng, TYPE_WEIGHTS["Afghanistan" if country == "Afghanistan" else "other"])
        sub = pick(rng, SUB_EVENTS[etype])
        a1, as1, i1, a2, as2, i2, civ = actors(rng, country, demonym, military, police, etype, sub)
        loc, admin1, admin2, lat, lon = rng.choice(PLACES[country])
        geo = pick(rng, [(1, 75), (2, 20), (3, 5)])
        if geo > 1:
            spread = 0.08 if geo == 2 else 0.35
            lat += rng.uniform(-spread, spread)
            lon += rng.uniform(-spread, spread)
        lon = min(max(lon, box[0]), box[2])
        lat = min(max(lat, box[1]), box[3])
        if etype in ("Battles", "Explosions/Remote violence"):
            fatalities = pick(rng, [(0, 50), (1, 20), (2, 12), (3, 8), (5, 6), (12, 4)])
        elif etype in ("Violence against civilians", "Riots"):
            fatalities = pick(rng, [(0, 60), (1, 30), (2, 10)])
        else:
            fatalities = 0
        tags = ""
        if etype in ("Protests", "Riots"):
            tags = rng.choice(["crowd size=no report", "crowd size=around 30",
                               "crowd size=hundreds", "crowd size=more than 1000"])
        local = rng.choice(SOURCES[country])
        scale = pick(rng, SCALES)
        source = local if "International" not in scale else f"{local}; {rng.choice(INTERNATIONAL)}"
        upload = datetime.datetime(d.year, d.month, d.day, tzinfo=datetime.timezone.utc)
        timestamp = int(upload.timestamp()) + rng.randrange(86400, 30 * 86400)
        w.writerow([
            f"{iso3}{counters[country]}", acled_date(d), d.year,
            pick(rng, [(1, 80), (2, 15), (3, 5)]), disorder(etype, sub), etype, sub,
            a1, as1, i1, a2, as2, i2, interaction(i1, i2), civ, iso, region, country,
            admin1, admin2, "", loc, f"{lat:.4f}", f"{lon:.4f}", geo, source, scale,
            notes(rng, d, etype, sub, loc, admin1, a1, a2, fatalities), fatalities, tags,
            timestamp,
        ])
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
