/*
 * countries_table.h — country names, ISO codes and demonyms.
 *
 * Names and codes also exist in the countries file, but reading that file
 * costs more than the whole gazetteer load budget, and demonyms ("Tajik",
 * "Afghan") exist in no data file; so the geocoder matches country words
 * against this table and reads the polygons only when a country or
 * frontier has to be placed. Private to gazetteer.c and
 * filter.c (which matches country names and codes with it).
 */
#ifndef BM_COUNTRIES_TABLE_H
#define BM_COUNTRIES_TABLE_H

typedef struct bm_country_names {
    const char *iso3, *iso2;
    const char *names;    /* display name first; ';'-separated */
    const char *demonyms; /* ';'-separated */
} bm_country_names;

static const bm_country_names bm_country_table[] = {
    {"AFG", "AF", "Afghanistan;Islamic Republic of Afghanistan", "Afghan;Afghani"},
    {"ALA", "AX", "Åland Islands;Aland", "Alandish"},
    {"ALB", "AL", "Albania", "Albanian"},
    {"ARE", "AE", "United Arab Emirates;UAE;Emirates", "Emirati"},
    {"ARM", "AM", "Armenia", "Armenian"},
    {"AZE", "AZ", "Azerbaijan", "Azerbaijani;Azeri"},
    {"BGD", "BD", "Bangladesh", "Bangladeshi"},
    {"BGR", "BG", "Bulgaria", "Bulgarian"},
    {"BHR", "BH", "Bahrain", "Bahraini"},
    {"BLR", "BY", "Belarus;Byelorussia", "Belarusian"},
    {"BRN", "BN", "Brunei;Brunei Darussalam", "Bruneian"},
    {"BTN", "BT", "Bhutan", "Bhutanese"},
    {"CAF", "CF", "Central African Republic;CAR", "Central African"},
    {"CHN", "CN", "China;People's Republic of China;PRC", "Chinese"},
    {"COD", "CD", "DR Congo;Democratic Republic of the Congo;Congo-Kinshasa", "Congolese"},
    {"CYP", "CY", "Cyprus", "Cypriot"},
    {"DJI", "DJ", "Djibouti", "Djiboutian"},
    {"EGY", "EG", "Egypt", "Egyptian"},
    {"ERI", "ER", "Eritrea", "Eritrean"},
    {"EST", "EE", "Estonia", "Estonian"},
    {"ETH", "ET", "Ethiopia", "Ethiopian"},
    {"FIN", "FI", "Finland", "Finnish"},
    {"GEO", "GE", "Georgia", "Georgian"},
    {"GRC", "GR", "Greece", "Greek"},
    {"HKG", "HK", "Hong Kong", "Hongkonger"},
    {"HUN", "HU", "Hungary", "Hungarian"},
    {"IDN", "ID", "Indonesia", "Indonesian"},
    {"IND", "IN", "India", "Indian"},
    {"IRN", "IR", "Iran;Islamic Republic of Iran;Persia", "Iranian;Persian"},
    {"IRQ", "IQ", "Iraq", "Iraqi"},
    {"ISR", "IL", "Israel", "Israeli"},
    {"JOR", "JO", "Jordan", "Jordanian"},
    {"KAZ", "KZ", "Kazakhstan;Qazaqstan", "Kazakh;Kazakhstani;Kazak"},
    {"KGZ", "KG", "Kyrgyzstan;Kyrgyz Republic;Kirghizia;Kirgizia", "Kyrgyz;Kirghiz;Kirgiz"},
    {"KHM", "KH", "Cambodia", "Cambodian"},
    {"KWT", "KW", "Kuwait", "Kuwaiti"},
    {"LAO", "LA", "Laos;Lao PDR", "Lao;Laotian"},
    {"LBN", "LB", "Lebanon", "Lebanese"},
    {"LBY", "LY", "Libya", "Libyan"},
    {"LKA", "LK", "Sri Lanka", "Sri Lankan"},
    {"LTU", "LT", "Lithuania", "Lithuanian"},
    {"LVA", "LV", "Latvia", "Latvian"},
    {"MAC", "MO", "Macau;Macao", "Macanese"},
    {"MDA", "MD", "Moldova", "Moldovan"},
    {"MDV", "MV", "Maldives", "Maldivian"},
    {"MKD", "MK", "North Macedonia;Macedonia", "Macedonian"},
    {"MMR", "MM", "Myanmar;Burma", "Burmese"},
    {"MNE", "ME", "Montenegro", "Montenegrin"},
    {"MNG", "MN", "Mongolia", "Mongolian"},
    {"MYS", "MY", "Malaysia", "Malaysian"},
    {"NPL", "NP", "Nepal", "Nepali;Nepalese"},
    {"OMN", "OM", "Oman", "Omani"},
    {"PAK", "PK", "Pakistan", "Pakistani"},
    {"PHL", "PH", "Philippines", "Filipino;Philippine"},
    {"POL", "PL", "Poland", "Polish"},
    {"PSE", "PS", "Palestine;State of Palestine;Palestinian Territories", "Palestinian"},
    {"QAT", "QA", "Qatar", "Qatari"},
    {"ROU", "RO", "Romania", "Romanian"},
    {"RUS", "RU", "Russia;Russian Federation", "Russian"},
    {"SAU", "SA", "Saudi Arabia;Kingdom of Saudi Arabia;KSA", "Saudi;Saudi Arabian"},
    {"SDN", "SD", "Sudan", "Sudanese"},
    {"SOM", "SO", "Somalia", "Somali"},
    {"SRB", "RS", "Serbia", "Serbian"},
    {"SSD", "SS", "South Sudan", "South Sudanese"},
    {"SVK", "SK", "Slovakia", "Slovak"},
    {"SYR", "SY", "Syria;Syrian Arab Republic", "Syrian"},
    {"TCD", "TD", "Chad", "Chadian"},
    {"THA", "TH", "Thailand", "Thai"},
    {"TJK", "TJ", "Tajikistan;Tadzhikistan;Tadjikistan", "Tajik;Tadzhik;Tajikistani"},
    {"TKM", "TM", "Turkmenistan;Turkmenia", "Turkmen;Turkmenistani"},
    {"TUR", "TR", "Turkey;Türkiye;Turkiye", "Turkish"},
    {"TWN", "TW", "Taiwan", "Taiwanese"},
    {"UKR", "UA", "Ukraine", "Ukrainian"},
    {"USA", "US", "United States;United States of America;USA;America", "American"},
    {"UZB", "UZ", "Uzbekistan", "Uzbek;Uzbekistani"},
    {"VNM", "VN", "Vietnam;Viet Nam", "Vietnamese"},
    {"XKX", "XK", "Kosovo", "Kosovar"},
    {"YEM", "YE", "Yemen", "Yemeni"},
};

#endif
