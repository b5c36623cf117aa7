"""The default taxonomy of areas of concern, loaded by a data migration; admins curate it after."""

# (slug, English name, Spanish name, children)
DEFAULT_AREAS: list[tuple[str, str, str, list[tuple[str, str, str]]]] = [
    (
        "substance-use",
        "Substance use",
        "Consumo de sustancias",
        [
            ("alcohol", "Alcohol use", "Consumo de alcohol"),
            ("opioids", "Opioid use", "Consumo de opioides"),
            (
                "stimulants",
                "Stimulant use (cocaine, methamphetamine)",
                "Consumo de estimulantes (cocaína, metanfetamina)",
            ),
            ("cannabis", "Cannabis use", "Consumo de cannabis"),
            ("benzodiazepines", "Benzodiazepine use", "Consumo de benzodiacepinas"),
            ("tobacco-nicotine", "Tobacco and nicotine", "Tabaco y nicotina"),
        ],
    ),
    (
        "behavioural",
        "Behavioural addictions",
        "Adicciones conductuales",
        [
            ("gambling", "Gambling", "Juego"),
            ("gaming-internet", "Gaming and internet use", "Videojuegos e internet"),
        ],
    ),
    (
        "mental-health",
        "Mental health",
        "Salud mental",
        [
            ("depression", "Depression", "Depresión"),
            ("anxiety", "Anxiety", "Ansiedad"),
            ("ptsd", "PTSD and trauma", "TEPT y trauma"),
            ("bipolar", "Bipolar disorder", "Trastorno bipolar"),
            ("eating-disorders", "Eating disorders", "Trastornos de la conducta alimentaria"),
            ("grief", "Grief and loss", "Duelo y pérdida"),
            ("psychosis", "Psychosis and schizophrenia", "Psicosis y esquizofrenia"),
        ],
    ),
    (
        "physical-rehabilitation",
        "Physical rehabilitation",
        "Rehabilitación física",
        [
            ("chronic-pain", "Chronic pain", "Dolor crónico"),
            ("multiple-sclerosis", "Multiple sclerosis", "Esclerosis múltiple"),
            ("cardiac", "Cardiac rehabilitation", "Rehabilitación cardíaca"),
            ("stroke", "Stroke", "Ictus"),
            ("spinal-cord-injury", "Spinal-cord injury", "Lesión de la médula espinal"),
            ("brain-injury", "Brain injury", "Lesión cerebral"),
            ("amputation", "Limb loss", "Amputación"),
            ("cancer", "Cancer", "Cáncer"),
            ("diabetes", "Diabetes", "Diabetes"),
        ],
    ),
]
