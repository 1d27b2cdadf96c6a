"""Common words of the portal's nine languages that never name a lead (tips.matching).

Two kinds, folded the same way as the tips (tips.matching.fold: transliterated, lower case, no
accents): the small words of each language (articles, pronouns, prepositions, common verbs), and
the words tips use around a lead (shop, market, bought, seen, sister, last year). A word
missing here is only a weaker signal: a name is a word outside these lists, and two tips sharing
a common word that slipped through still need a shared name to be paired; the object's own title
and description, and every country's name, are common words too (added per object).

Brand names that are also ordinary words are left out on purpose ("dia", "action", "normal",
"coop", "spar"), so a shop of that name can still be a lead.
"""

from tips.matching.fold import fold

_SMALL = {
    "en": """a an the and or but if of to in on at by for from with without into onto over under
    about above after before near next this that these those it its it's is are was were be been
    being am do does did done have has had having i me my mine we us our you your he him his she
    her they them their there here what which who whom whose when where why how all any some no
    not nor only own same so than too very can could will would shall should may might must just
    also again still yet already ever never always often one two three first last other others
    such each both few more most many much lot lots up down out off then once because while until
    as like im ive dont didnt cant wont its thats theres s t""",
    "de": """der die das den dem des ein eine einen einem einer eines und oder aber wenn als wie
    von vom zu zum zur in im an am auf aus bei beim mit nach seit über unter vor hinter neben
    zwischen durch für gegen ohne um ich mich mir mein meine meinen meinem meiner du dich dir dein
    er ihn ihm sein seine sie ihr ihre es wir uns unser euch man ist sind war waren bin bist sein
    hat habe hast haben hatte hatten wird werden wurde kann können könnte muss sollte will nicht
    kein keine keinen auch noch schon nur sehr so ja nein doch mal dort hier da dann denn dass
    diese dieser dieses diesen jede jeder jedes alle viele etwas was wer wo wann warum wie""",
    "fr": """le la les l un une des du de d au aux et ou mais si que qu qui quoi dont où ce cet
    cette ces c ça cela ceci je j me m moi mon ma mes tu te t toi ton ta tes il elle on nous vous
    ils elles lui leur leurs son sa ses se s y en à a dans sur sous chez pour par avec sans vers
    entre est sont était étaient être ai as avons avez ont avait avaient eu fait faire peut peux
    pas ne n plus très trop aussi encore déjà bien même tout tous toute toutes comme là ici alors
    donc car quand""",
    "es": """el la los las lo un una unos unas y e o u pero si que quien cual como cuando donde
    de del al a en con sin por para sobre entre hasta desde hacia ante bajo tras yo me mi mis mío
    tu te ti tus él ella ello le les se su sus nos nosotros vosotros ellos ellas usted es son era
    eran fue ser estar está están estaba he ha han había hay tengo tiene tienen tenía no ni muy
    más también ya aún todo todos toda todas este esta estos estas ese esa eso aquí allí así""",
    "it": """il lo la i gli le l un uno una un' e ed o ma se che chi cui come quando dove di del
    dello della dei degli delle d a al allo alla ai agli alle all da dal dalla dai dalle in nel
    nello nella nei nelle nell con su sul sulla per tra fra io mi me mio mia miei mie tu ti te tuo
    lui lei ci noi vi voi loro si suo sua è sono era erano essere ho hai ha abbiamo hanno avevo
    aveva non né più molto anche già ancora tutto tutti tutta tutte questo questa questi quello
    quella qui qua lì là così""",
    "nl": """de het een en of maar als dan dat die dit deze van voor na naar in op aan bij met
    zonder uit over onder door tot om te ik me mij mijn jij je jou jouw hij hem zijn zij ze haar
    het we wij ons onze jullie hun is zijn was waren ben bent heb hebt heeft hebben had hadden
    wordt worden werd kan kun kunnen kon zou moet niet geen ook nog al wel heel erg zo er hier
    daar toen waar wat wie hoe waarom""",
    "pl": """i a o u w we z ze na do od po za przy przez dla bez nad pod przed między o oraz
    albo lub ale czy że jak gdy kiedy gdzie co kto który która które jest są był była było byli
    być mam ma mamy mają miał miała ja mnie mi mój moja moje ty cię ci twój on go mu jego ona jej
    ją ono my nas nam nasz wy was oni one ich im się sie nie tak też już jeszcze bardzo to ten ta
    te tego tej tym tu tam tutaj""",
    "pt": """o a os as um uma uns umas e ou mas se que quem qual como quando onde de do da dos
    das d ao aos à às em no na nos nas num numa com sem por pelo pela para sobre entre até desde
    eu me mim meu minha meus tu te ti teu ele ela eles elas lhe lhes se seu sua nós nos vós você
    é são era eram foi ser estar está estão estava tenho tem têm tinha há não nem muito mais
    também já ainda todo todos toda todas este esta isto esse essa isso aqui ali lá""",
    "ar": """في من إلى الى على عن مع هذا هذه ذلك تلك هو هي هم أنا انا نحن أنت انت كان كانت
    يكون و أو او ثم لكن لا لم لن ما ماذا متى أين اين كيف هل قد كل بعض عند لدي لقد إن ان أن
    التي الذي الذين""",
}

_AROUND = {
    "en": """shop shops store stores supermarket supermarkets market markets mall outlet chain
    brand brands online website site internet catalogue catalog aisle shelf section local big
    small cheap cheaper expensive price euro euros sold sell sells selling sale bought buy buying
    purchase purchased seen saw see seeing found find look looks looked looking think thought
    sure know believe guess maybe probably definitely exactly exact similar identical same
    version model one ones sister brother mother mum mom father dad aunt uncle cousin grandma
    grandmother grandpa friend friends neighbour neighbor wife husband daughter son kids family
    home house year years ago last week month summer winter christmas recently time times
    city town village country street station centre center near close years branch branches
    nationwide everywhere every many sells store's shops' get got went go going thing things
    item items product products pretty quite really well yes thanks thank hello hi please bag
    lamp mug cup plate bowl shirt blanket bottle toy curtain pillow box pattern colour color""",
    "de": """laden läden geschäft geschäften supermarkt supermärkten markt märkte kaufhaus filiale
    filialen kette marke online internet katalog regal günstig billig teuer preis verkauft
    verkaufen kaufen gekauft kauft gesehen sehen gefunden glaube denke sicher vielleicht genau
    gleiche gleichen gleicher ähnlich schwester bruder mutter mama vater oma opa tante onkel
    freundin freund nachbarin nachbar frau mann kinder familie zuhause jahr jahren letztes
    letzten woche monat sommer weihnachten stadt dorf land straße bahnhof nähe überall gibt
    tasche lampe tasse becher teller decke flasche spielzeug vorhang kissen kanne krug auto""",
    "fr": """magasin magasins boutique boutiques supermarché supermarchés hypermarché marché
    marchés centre commercial enseigne chaîne marque ligne internet site catalogue rayon pas cher
    prix vendu vendue vendus vend vendent acheté achetée acheter vu vue vus trouvé trouvée crois
    pense sûr sure peut-être exactement même mêmes pareil pareille soeur sœur frère mère maman
    père papa tante oncle cousin cousine grand-mère mamie ami amie voisin voisine femme mari
    enfants famille maison an ans année dernier dernière semaine mois été noël ville village
    pays rue gare près partout sac lampe tasse mug assiette couverture bouteille jouet rideau
    coussin""",
    "es": """tienda tiendas supermercado supermercados mercado mercadillo centro comercial cadena
    marca internet web catálogo barato precio venden vende vendido vendida compré compró comprado
    comprar visto vi encontré creo pienso seguro quizás exactamente mismo misma igual parecido
    hermana hermano madre mamá padre papá abuela abuelo tía tío prima primo amiga amigo vecina
    vecino mujer marido hijos familia casa año años pasado semana mes verano navidad ciudad
    pueblo país calle estación cerca todas partes bolso bolsa lámpara taza plato manta botella
    juguete cortina cojín""",
    "it": """negozio negozi supermercato supermercati mercato mercatino centro commerciale catena
    marca internet sito catalogo economico prezzo venduto venduta vendono vende comprato comprata
    comprare visto vista trovato credo penso sicuro forse esattamente stesso stessa uguale simile
    sorella fratello madre mamma padre papà nonna nonno zia zio cugina cugino amica amico vicina
    vicino moglie marito figli famiglia casa anno anni scorso scorsa settimana mese estate natale
    città paese via stazione vicino ovunque borsa lampada tazza piatto coperta bottiglia
    giocattolo tenda cuscino""",
    "nl": """winkel winkels supermarkt supermarkten markt warenhuis filiaal keten merk online
    internet website catalogus goedkoop prijs verkocht verkopen verkoopt gekocht kopen gezien zien
    gevonden denk denken zeker misschien precies dezelfde hetzelfde zelfde zus broer moeder mama
    vader papa oma opa tante oom nicht neef vriendin vriend buurvrouw buurman vrouw man kinderen
    familie thuis huis jaar jaren vorig vorige week maand zomer kerst stad dorp land straat
    station buurt overal tas lamp mok beker bord deken fles speelgoed gordijn kussen kan schort
    actie aanbieding komt kwam""",
    "pl": """sklep sklepie sklepu sklepy sklepach market markecie supermarket supermarkecie
    centrum handlowe sieć sieci marka internecie internet strona katalog tanio tani tanie cena
    sprzedają sprzedaje sprzedawane kupiłam kupiłem kupiła kupił kupić kupuje widziałam widziałem
    widziała widział widać znalazłam myślę sądzę pewno pewna pewny chyba dokładnie taki taka takie
    samo same sama siostra brat mama matka tata ojciec babcia dziadek ciocia wujek kuzynka kuzyn
    przyjaciółka koleżanka sąsiadka sąsiad żona mąż dzieci rodzina domu dom rok roku lat temu
    zeszłym tydzień miesiąc lato lecie święta mieście miasto wsi kraj ulica dworzec blisko
    wszędzie torba torbę torebka lampa lampka kubek kubki talerz koc butelka zabawka zasłona
    poduszka dzbanek dzbanki autko autka""",
    "pt": """loja lojas supermercado supermercados mercado feira centro comercial cadeia marca
    internet site catálogo barato preço vendem vende vendido vendida comprei comprou comprado
    comprar vi visto encontrei acho penso certeza talvez exatamente mesmo mesma igual parecido
    irmã irmão mãe pai avó avô tia tio prima primo amiga amigo vizinha vizinho mulher marido
    filhos família casa ano anos passado semana mês verão natal cidade aldeia país rua estação
    perto todo lado saco bolsa candeeiro caneca prato manta garrafa brinquedo cortina almofada
    taça taca jarro""",
    "ar": """محل متجر سوق السوق سوبرماركت مول الإنترنت انترنت رخيص سعر يبيع يباع تباع اشتريت
    اشتريته رأيت رأيته شاهدت وجدت أعتقد اعتقد متأكد ربما نفس مثل أختي أخي أمي أبي جدتي صديقي
    صديقتي جارتي بيت البيت سنة العام الماضي مدينة المدينة بلد شارع حقيبة مصباح كوب""",
}

# Countries' own names and their adjectives as tipsters write them.
_NATIONS = """polska polsce polski polskie polish poland pologne polonia polen portugal portugues
portuguese portuguesa portugal portogallo espana spain spanish espanol espagne spagna spanien
france french francais francaise frankreich francia franca italia italy italian italiano italie
italien nederland netherlands holland dutch nederlands hollande paesi bassi deutschland germany
german deutsch allemagne germania alemania alemanha belgie belgium belgique belgien europe
europa eu uk usa"""


def _words(groups: dict[str, str]) -> set[str]:
    return {word for text in groups.values() for word in text.split()}


SMALL_WORDS: frozenset[str] = frozenset(_words(_SMALL))
AROUND_WORDS: frozenset[str] = frozenset(_words(_AROUND))
NATION_WORDS: frozenset[str] = frozenset(_NATIONS.split())


# Every common word, folded: never a name.
COMMON_WORDS: frozenset[str] = frozenset(
    f for w in SMALL_WORDS | AROUND_WORDS | NATION_WORDS if (f := fold(w))
)
