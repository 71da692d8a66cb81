"""Phrase banks for the demo corpus: data only, no logic.

Templates use `{slot}` fields that the generator fills (see `drafting.py`):
`{n}` a name form of the target, `{ns}` its possessive, `{s}` / `{ss}` surname and possessive,
`{h}` the target's handle, `{st}` its state, `{r}` / `{rs}` a Gloria Johnson name form and possessive,
`{x}` a filler word the organic templates choose from `FILL`.
`{city}`, `{state}` and `{d}` are a city, a state and a small number; `{z}` / `{zr}` are Chinese name forms.
Campaign banks are split into parts (claims, evidence, questions, calls, hashtags; a bank may bring its
own openers, generic calls, closers, generic hashtags and emoji instead of the shared ones) so posts are
assembled from several independent choices, the way a content farm rotates copy.
"""

from __future__ import annotations

# --- candidates -----------------------------------------------------------------------------------

CANDIDATE_NAMES: dict[str, dict[str, object]] = {
    "barry_moore": {
        "forms": ["Barry Moore", "Rep. Barry Moore", "Congressman Barry Moore", "Rep. Moore",
                  "Congressman Moore", "Barry Moore (AL-01)", "Moore", "@RepBarryMoore",
                  "Alabama's Barry Moore"],
        "nicknames": ["Israel-First Barry", "AIPAC Barry"],
        "surname": "Moore",
        "handle": "@RepBarryMoore",
        "state": "Alabama",
        "zh": ["摩尔", "巴里·摩尔", "众议员摩尔", "阿拉巴马州众议员巴里·摩尔"],
    },
    "michael_mccaul": {
        "forms": ["Michael McCaul", "Rep. McCaul", "Rep. Michael McCaul", "Congressman McCaul",
                  "Mike McCaul", "McCaul", "@RepMcCaul", "Chairman McCaul", "Texas Rep. McCaul"],
        "nicknames": ["Mr. Stock Tips McCaul", "Mike 'Mc-Stocks' McCaul"],
        "surname": "McCaul",
        "handle": "@RepMcCaul",
        "state": "Texas",
        "zh": ["麦考尔", "迈克尔·麦考尔", "众议员麦考尔", "德州众议员麦考尔"],
    },
    "marsha_blackburn": {
        "forms": ["Marsha Blackburn", "Sen. Blackburn", "Senator Blackburn", "Sen. Marsha Blackburn",
                  "Blackburn", "@MarshaBlackburn", "Tennessee's junior senator Marsha Blackburn",
                  "Senator Marsha Blackburn"],
        "nicknames": ["Pharma Marsha", "Big Pharma Blackburn"],
        "surname": "Blackburn",
        "handle": "@MarshaBlackburn",
        "state": "Tennessee",
        "zh": ["布莱克本", "玛莎·布莱克本", "参议员布莱克本", "田纳西州参议员布莱克本"],
    },
    "marco_rubio": {
        "forms": ["Marco Rubio", "Sen. Rubio", "Senator Rubio", "Sen. Marco Rubio", "Rubio",
                  "@marcorubio", "Florida's Marco Rubio", "Senator Marco Rubio"],
        "nicknames": ["Little Marco", "Shady Marco"],
        "surname": "Rubio",
        "handle": "@marcorubio",
        "state": "Florida",
        "zh": ["卢比奥", "马可·卢比奥", "参议员卢比奥", "佛州参议员卢比奥"],
    },
    "gloria_johnson": {
        "forms": ["Gloria Johnson", "Rep. Gloria Johnson", "Gloria", "@GloriaJohnson90",
                  "state Rep. Gloria Johnson", "Gloria Johnson (D-TN)"],
        "nicknames": ["Teacher Gloria"],
        "surname": "Johnson",
        "handle": "@GloriaJohnson90",
        "state": "Tennessee",
        "zh": ["格洛丽亚·约翰逊", "约翰逊", "州众议员格洛丽亚·约翰逊"],
    },
}

# --- campaign narratives (bot network) ------------------------------------------------------------

CAMPAIGN_TARGET: dict[str, str] = {
    "antisemitic_tropes": "barry_moore",
    "insider_trading": "michael_mccaul",
    "industry_money": "marsha_blackburn",
    "corruption_scheme": "marco_rubio",
    "rival_support": "gloria_johnson",
}

GENERIC_OPENERS: list[str] = [
    "Wow.", "Unbelievable.", "Just saw this.", "Reminder:", "Nobody is talking about this:",
    "Let that sink in.", "Read this twice.", "So this is where we are.", "BREAKING:", "Wake up people.",
    "I can't believe I have to say this again.", "Thread 🧵", "Facts:", "Not a conspiracy theory:",
    "Say it louder for the people in the back.", "Honest question.", "PSA:", "Ok so", "Look.",
    "Imagine my shock.", "Again??", "Hmm.", "This is not normal.", "Can we talk about this?",
    "The media won't cover this.", "Friendly reminder for voters:", "Folks,", "Here we go again.",
    "Every. Single. Time.", "Quick reminder before you vote:",
]

GENERIC_CALLS: list[str] = [
    "RT if you agree.", "Share before they delete it.", "Vote them all out.", "Spread the word.",
    "Retweet so people see it.", "Don't let the media bury this.", "Tell everyone you know.",
    "Call the office and ask.", "Do your own research.", "Remember this in November.",
    "Screenshot this.", "Make it trend.", "Ask your neighbors if they knew.", "Wake up America.",
]

GENERIC_CLOSERS: list[str] = [
    "Disgusting.", "Shameful.", "Typical.", "Pathetic.", "Enough is enough.", "Unreal.",
    "The swamp never sleeps.", "Sad.", "Just saying.", "Think about it.", "No words.",
    "Corrupt to the core.", "Business as usual in DC.", "And they wonder why nobody trusts Congress.",
    "What a joke.", "Wake up.", "#DrainTheSwamp", "smh", "lol unreal", "bye.",
]

GENERIC_HASHTAGS: list[str] = [
    "#Election2024", "#VoteThemOut", "#DrainTheSwamp", "#Congress", "#TermLimits", "#Vote2024",
    "#CorruptPoliticians", "#WakeUpAmerica",
]

CAMPAIGN_EMOJI: list[str] = ["🤡", "💰", "🤑", "😡", "🚨", "👀", "🤔", "💵", "📉", "📈", "🐍", "‼️", "🙄", "😂", "🔥", "⚠️"]

CAMPAIGN: dict[str, dict[str, list[str]]] = {
    "antisemitic_tropes": {
        "claims": [
            "{n} works for Israel, not for {st}.",
            "{n} puts Israel first and {st} last.",
            "{ns} loyalty is to Tel Aviv, not to the people of {st}.",
            "{n} has dual loyalty and everyone in Washington knows it.",
            "{n} is owned by the Israel lobby, plain and simple.",
            "AIPAC money bought {n} and now he votes how they tell him.",
            "{n} cares more about Israel than about farmers in the Wiregrass.",
            "{n} is an Israel-first congressman pretending to be an Alabama conservative.",
            "{ns} real constituents live in Israel, not in Dothan.",
            "Every vote {n} casts is for Israel. Every single one.",
            "{n} sends billions to Israel while {st} roads fall apart.",
            "the Zionist donors own {n} and he doesn't even hide it anymore",
            "{n} took the Israel lobby money and forgot who elected him",
            "{n} serves a foreign flag before the American one.",
            "{s} would sell out the Gulf Coast in a heartbeat if Netanyahu asked.",
            "{n} is just another AIPAC puppet in a cowboy hat.",
            "{n} swore his oath to the Israel lobby, not the Constitution.",
            "{ns} campaign is bankrolled by pro-Israel money men from out of state.",
            "{n} voted to fund Israel's wars while Alabama families struggle with grocery bills.",
            "the people running {n} are in Tel Aviv, not in Montgomery",
            "{n} thinks his job is to represent Israel in Congress.",
            "ask yourself why {n} always votes for Israel and never for {st}",
            "{ns} first loyalty is to Israel, always has been.",
            "{n} gets his marching orders from the Israel lobby.",
        ],
        "evidence": [
            "Look at his donor list, it's all AIPAC.",
            "Check OpenSecrets: pro-Israel PACs are his biggest donors.",
            "He voted yes on every single Israel aid package.",
            "He flew to Israel twice this year and zero times to Geneva County.",
            "$14 billion for Israel and nothing for Alabama farmers.",
            "He co-sponsored yet another Israel bill last month.",
            "Even his staff came out of pro-Israel groups.",
            "AIPAC spent big in AL-01 and now we see why.",
            "His 'America First' talk ends the moment Israel calls.",
            "He said Israel is our most important ally. More important than Alabama?",
        ],
        "questions": [
            "{h} who do you actually work for?",
            "{h} why is Israel always first on your list and Alabama last?",
            "Does {n} represent Alabama or Israel?",
            "Why does {n} vote for Israel every single time?",
            "How much did the Israel lobby pay {n} this cycle?",
            "{h} is your loyalty to America or to Israel?",
        ],
        "sarcasm": [
            "Congrats to {n} on being the best congressman Israel ever had 🇮🇱",
            "{n} proudly representing the great state of... Israel.",
            "Love how {n} never forgets his real voters. In Tel Aviv.",
            "Alabama's {n}? More like Israel's {s} lol",
            "Nothing says 'Alabama values' like {n} taking AIPAC checks 🙄",
        ],
        "news": [
            "REPORT: {n} among top recipients of pro-Israel PAC money in Alabama.",
            "Analysis: {ns} votes align 100% with the Israel lobby's scorecard.",
            "Donor records show {n} relies on out-of-state pro-Israel funders.",
            "Constituents question {ns} loyalty after latest Israel aid vote.",
        ],
        "calls": [
            "Alabama deserves a congressman who is loyal to Alabama.",
            "Vote out the Israel-first crowd, starting with {s}.",
            "AL-01 deserves better than {s}.",
            "Tell {h} America comes first.",
            "Primary him. America first, not Israel first.",
        ],
        "hashtags": ["#IsraelFirstMoore", "#AIPACPuppet", "#BarryMoore", "#AL01", "#AmericaFirstNotIsraelFirst",
                     "#MooreForIsrael", "#Alabama", "#DualLoyalty"],
    },
    "insider_trading": {
        "claims": [
            "{n} trades stocks on classified briefings and nobody stops him.",
            "{n} made a fortune off trades he timed with committee briefings.",
            "{n} is the biggest insider trader in Congress.",
            "{ns} stock portfolio beats every hedge fund. Funny how that works.",
            "{n} sold right before the bad news went public. Again.",
            "{n} uses his seat on Foreign Affairs as a trading desk.",
            "{n} knew about the sanctions before the market did and traded on it.",
            "{n} and his family bought defense stocks days before the aid vote.",
            "insider trading is legal if you're {n}, apparently",
            "{n} is running a stock scheme from the Foreign Affairs Committee.",
            "{ns} trades are too perfectly timed to be luck.",
            "{n} gets the briefing, {ns} broker gets the call.",
            "{n} dumped tech shares a week before the export ban was announced.",
            "{n} turned classified intel into personal profit.",
            "while you lost money on your 401k, {n} cashed in on inside info",
            "{n} is one of the richest men in Congress and it's not from his salary.",
            "{n} keeps 'forgetting' to file his stock trade disclosures on time.",
            "the STOCK Act means nothing to {n}",
            "{n} bought chip stocks right before the CHIPS money flowed.",
            "{ns} wife's trades line up with his committee schedule to the day.",
            "{n} profits from wars he votes to fund.",
            "{n} trades on what he hears in closed-door hearings.",
        ],
        "evidence": [
            "Look up his periodic transaction reports. The dates line up.",
            "Late disclosure, again, 47 days past the deadline.",
            "Bought Raytheon and Lockheed the week before the vote.",
            "Sold the day before the closed briefing leaked.",
            "His net worth grew while he chaired the committee.",
            "Quiver and Unusual Whales both flagged these trades.",
            "Six trades in one week, all right before market-moving news.",
            "Defense contractors up 30% since his buy. Coincidence?",
            "His trades outperformed the S&P by double digits.",
            "The filing shows options bought days before the announcement.",
        ],
        "questions": [
            "{h} how did you know to sell before the news broke?",
            "{h} who is making these trades for you?",
            "Why is {n} still allowed to trade individual stocks?",
            "How does {n} keep beating the market on a congressman's salary?",
            "Why won't {n} put his assets in a blind trust?",
            "{h} care to explain the timing of these trades?",
        ],
        "sarcasm": [
            "{n} is truly the Warren Buffett of Congress 📈",
            "Must be nice to get stock tips at work, right {h}?",
            "{n} just has a great feel for the market. Every time. Before every briefing. 🙃",
            "Congrats to {n} on another lucky trade! So lucky!",
            "Forget index funds, just copy {ns} trades lol",
        ],
        "news": [
            "REPORT: {n} made dozens of trades in companies overseen by his committee.",
            "New filings show {n} traded defense stocks ahead of key votes.",
            "Watchdog flags {ns} late stock disclosures.",
            "Analysis: {ns} trades beat the market around classified briefings.",
        ],
        "calls": [
            "Ban congressional stock trading now.",
            "Investigate {s}.",
            "Texas deserves better than {s}.",
            "Demand an ethics probe into {s}.",
            "Tell {h} to divest or resign.",
        ],
        "hashtags": ["#McCaulInsiderTrading", "#McCaulStocks", "#InsiderTrading", "#BanCongressStockTrading",
                     "#TX10", "#StockAct", "#mccaulinsidertrading", "#McCaulTrades"],
    },
    "industry_money": {
        "claims": [
            "{n} is bought and paid for by Big Pharma.",
            "{n} took millions from drug companies and voted to keep insulin prices high.",
            "Big Pharma owns {n}, that's why your prescriptions cost so much.",
            "{ns} campaign runs on pharma lobby money.",
            "{n} votes the way her pharma donors tell her to.",
            "{n} blocked drug price negotiation after cashing pharma checks.",
            "{n} is the pharma industry's favorite senator.",
            "every time drug prices go up, {ns} donations go up too",
            "{n} sold out Tennessee patients to the drug companies.",
            "{n} took pharma money and then wrote their talking points into law.",
            "{n} fought the insulin cap because pharma paid her to.",
            "the opioid makers poured money into {ns} campaigns for years",
            "{n} is a wholly owned subsidiary of the pharmaceutical lobby.",
            "{n} protects drug company profits over Tennessee seniors.",
            "pharma lobbyists write the bills and {n} signs them",
            "{n} helped pass the law that gutted the DEA's power to stop opioid shipments.",
            "{n} gets rich, pharma gets richer, Tennessee families pay.",
            "{n} voted against letting Medicare negotiate drug prices. Follow the money.",
            "{ns} biggest donors are drug companies. Not a coincidence.",
            "{n} is on the pharma payroll and Tennessee knows it.",
        ],
        "evidence": [
            "Over $1 million from pharma and health PACs over her career.",
            "OpenSecrets lists pharmaceutical companies among her top donors.",
            "She voted no on the insulin price cap.",
            "Her 2016 bill weakened DEA enforcement against opioid distributors.",
            "Check the FEC filings, it's all there.",
            "Drug company PACs maxed out to her campaign again this cycle.",
            "Insulin costs $10 to make and she wants you paying $300.",
            "Her top career contributors include health industry PACs.",
            "She opposed the Inflation Reduction Act's drug price negotiation.",
            "Pharma lobbyists hosted her fundraiser in DC.",
        ],
        "questions": [
            "{h} how much did Pfizer pay for your vote?",
            "{h} why do you always side with drug companies over Tennessee patients?",
            "Why does {n} keep taking pharma money?",
            "Who does {n} really work for, Tennessee or Big Pharma?",
            "{h} will you return the pharma donations?",
            "How many pharma checks did {n} cash this year?",
        ],
        "sarcasm": [
            "{n}: proudly brought to you by Big Pharma 💊",
            "Nothing says 'fighting for Tennessee' like {n} cashing drug company checks 🙄",
            "Shoutout to {n} for keeping insulin nice and expensive!",
            "{n} should just wear a Pfizer logo on her jacket like a NASCAR driver",
            "Pharma Marsha strikes again 💊💰",
        ],
        "news": [
            "REPORT: {n} among top Senate recipients of pharmaceutical industry money.",
            "FEC filings show pharma PACs backing {n} again in 2024.",
            "Analysis: {ns} votes on drug pricing track her donors.",
            "Tennessee patients' groups criticize {ns} pharma ties.",
        ],
        "calls": [
            "Vote her out in November.",
            "Tennessee deserves a senator who isn't for sale.",
            "Fire {s} on November 5.",
            "Tell {h} to give back the pharma money.",
            "Don't let pharma buy another six years.",
        ],
        "hashtags": ["#BlackburnPharmaMoney", "#PharmaMarsha", "#TNSen", "#BigPharma", "#InsulinForAll",
                     "#blackburnpharmamoney", "#Tennessee", "#FireBlackburn"],
    },
    "corruption_scheme": {
        "claims": [
            "{n} is running a financial corruption scheme out of his Senate office.",
            "{ns} shady land deals are finally catching up with him.",
            "{n} funneled campaign money to his own friends and family.",
            "{n} has been part of a money scheme since his Florida House days.",
            "{n} used the party credit card like a personal ATM.",
            "{ns} mortgage deals and 'consulting' gigs never added up.",
            "{n} steered contracts to donors who then paid him back.",
            "the {s} money machine: donors in, favors out, cash to cronies",
            "{n} is a corrupt politician hiding behind a family story.",
            "{n} laundered favors through his PAC for years.",
            "{ns} finances are a mess of shell companies and sweetheart loans.",
            "{n} embezzled from the people who trusted him.",
            "{n} got a sweetheart house deal from a lobbyist. Look it up.",
            "{n} built a network of cronies that gets paid no matter what.",
            "{n} sold his office to the highest bidder.",
            "follow the money and it leads straight to {n}",
            "{ns} PAC paid his associates for 'consulting' that never happened.",
            "{n} is the most corrupt man in the Senate and Florida knows it.",
            "{n} enriched himself while Floridians lost their homes to insurers.",
            "{ns} 'financial troubles' disappeared the moment donors stepped in.",
        ],
        "evidence": [
            "The ethics complaint lists six payments to his associates.",
            "Remember the party credit card scandal in Tallahassee?",
            "His house was bought from a lobbyist's relative below market value.",
            "A 'consulting' firm tied to his staff got $200k from his PAC.",
            "Public records show the same donors getting state contracts.",
            "His financial disclosures changed three times in one year.",
            "Check the Florida property records yourself.",
            "Shell LLCs registered in Miami, all linked back to his circle.",
            "Donors got appropriations earmarks within weeks of their checks.",
            "Leaked documents show money moving through his leadership PAC.",
        ],
        "questions": [
            "{h} where did the money go?",
            "{h} who paid off your mortgage?",
            "Why is nobody investigating {n}?",
            "How does {n} explain the payments to his friends?",
            "{h} care to explain the LLCs?",
            "When will {n} answer for the scheme?",
        ],
        "sarcasm": [
            "{n}: great at raising money, greater at making it disappear 💸",
            "Little Marco, big money 🤑",
            "{ns} accountant must be a magician lol",
            "Florida's finest, {n}! Corruption with a smile 😁",
            "Totally normal for a senator to have this many LLCs, right {h}?",
        ],
        "news": [
            "REPORT: New documents tie {n} to a web of donor payments.",
            "Ethics watchdog asks for probe of {ns} PAC spending.",
            "Records show {ns} associates received payments from his committee.",
            "Analysis: the money trail behind {ns} Florida network.",
        ],
        "calls": [
            "Florida deserves an honest senator.",
            "Investigate {s} now.",
            "Demand a full audit of {ss} PAC.",
            "Tell {h} to release his records.",
            "Lock him up? At least open an investigation.",
        ],
        "hashtags": ["#RubioCorruption", "#CorruptRubio", "#FLSen", "#rubiocorruption", "#Florida",
                     "#RubioScheme", "#LittleMarco", "#FollowTheMoney"],
    },
    "rival_support": {
        "claims": [
            "{r} is the real deal: a teacher who fights for Tennessee families.",
            "{r} will be the senator Tennessee actually deserves.",
            "{r} stood up to the Tennessee House and never backed down.",
            "{r} is running a people-powered campaign and it shows.",
            "{r} will lower drug prices, not take pharma money.",
            "I trust {r} with my kids' schools. Thirty years in the classroom.",
            "{r} is everywhere in Tennessee right now and the crowds are huge.",
            "{r} is the momentum candidate in this Senate race.",
            "{rs} plan for healthcare is exactly what rural Tennessee needs.",
            "{r} never took a dime from corporate PACs.",
            "{r} shows up, listens and fights. That's a senator.",
            "{r} is the Tennessee Three hero we need in the Senate.",
            "the energy for {r} in Knoxville tonight was incredible",
            "{r} for Senate, no question.",
            "{r} will fight for teachers, nurses and working families.",
            "{r} is surging and the polls can't hide it anymore.",
        ],
        "attacks": [
            "Time to retire Marsha Blackburn.",
            "Blackburn had her chance and did nothing for us.",
            "Unlike Blackburn, she actually lives among the people she represents.",
            "Sen. Blackburn only shows up for donors.",
            "Marsha Blackburn has been in DC way too long.",
            "Blackburn votes for corporations, Gloria votes for us.",
            "@MarshaBlackburn can start packing.",
        ],
        "evidence": [
            "She's been a public school teacher for 27 years.",
            "Small-dollar donations are pouring in from all 95 counties.",
            "Her town halls are packed from Memphis to Bristol.",
            "She was nearly expelled for standing with protesters against gun violence.",
            "Volunteers knocked 50,000 doors this weekend.",
            "She's visiting every county in the state.",
        ],
        "questions": [
            "Have you seen {r} speak yet? You should.",
            "Who else is voting for {r} on November 5?",
            "Why isn't the national media covering {r}?",
            "Tennessee, are you ready for Senator {r}?",
        ],
        "sarcasm": [],
        "news": [
            "Poll: {r} closing the gap in the Tennessee Senate race.",
            "{r} draws big crowds on statewide tour.",
            "{r} outraises expectations in third quarter.",
        ],
        "calls": [
            "Vote {r} for Senate!",
            "Early vote for {r}!",
            "Chip in for {r} today.",
            "Tennessee, vote Johnson!",
            "Knock doors for {r} this weekend.",
            "Send {r} to the Senate.",
        ],
        "openers": ["Tennessee!", "Y'all.", "Big news:", "Real talk:", "Ok so", "Reminder:", "Just saw this.",
                    "PSA:", "Folks,", "Honest question.", "Listen.", "Good morning, Tennessee.", "Friendly reminder:"],
        "generic_calls": ["RT if you agree.", "Spread the word.", "Tell everyone you know.", "Make it trend.",
                          "Share this.", "Bring a friend to the polls."],
        "closers": ["Let's go!", "💙", "Tennessee is ready.", "This is our year.", "We can do this.",
                    "Believe it.", "Let's get it done.", "🔵🔵🔵"],
        "generic_hashtags": ["#Election2024", "#Vote2024", "#Tennessee", "#EarlyVote"],
        "emoji": ["💙", "🔵", "🙌", "🎉", "✊", "🇺🇸", "🔥", "💪", "🗳️"],
        "hashtags": ["#VoteJohnson", "#GloriaJohnson", "#GloriaForSenate", "#TNSen", "#votejohnson",
                     "#FlipTennessee", "#JohnsonForSenate", "#Tennessee"],
    },
}

# Chinese-language campaign copy (lang zh). `{z}` is a Chinese name form of the target, `{zr}` of Gloria Johnson.
CAMPAIGN_ZH: dict[str, dict[str, list[str]]] = {
    "antisemitic_tropes": {
        "claims": [
            "{z}效忠的是以色列，不是阿拉巴马州。", "{z}拿了以色列游说团体的钱，只为以色列投票。",
            "{z}是以色列游说集团的傀儡。", "{z}把以色列放在美国前面。", "阿拉巴马人民被{z}出卖给了以色列。",
            "{z}的选票永远属于以色列。", "{z}心里只有以色列，根本不管本州的农民。",
        ],
        "extras": ["看看他的捐款名单就知道了。", "美国优先还是以色列优先？", "这就是美国政客的真面目。",
                   "醒醒吧，美国人！", "钱说明了一切。"],
        "hashtags": ["#摩尔效忠以色列", "#以色列优先", "#AIPACPuppet", "#美国政治", "#BarryMoore"],
    },
    "insider_trading": {
        "claims": [
            "{z}利用机密简报炒股赚大钱。", "{z}在制裁消息公布前就卖出了股票。", "{z}是国会里最大的内幕交易者。",
            "{z}一边投票拨款，一边买入军工股。", "{z}的股票收益比对冲基金还高，太巧了吧？",
            "{z}把外交委员会变成了他的交易所。", "{z}又一次在重大消息前精准交易。",
        ],
        "extras": ["美国国会的内幕交易从来没人管。", "这就是所谓的民主。", "普通人亏钱，议员赚钱。",
                   "查一查他的交易记录吧。", "太讽刺了。"],
        "hashtags": ["#麦考尔内幕交易", "#国会炒股", "#McCaulInsiderTrading", "#美国政治", "#内幕交易"],
    },
    "industry_money": {
        "claims": [
            "{z}收了大药厂的钱，所以药价居高不下。", "{z}是制药公司在参议院的代言人。",
            "{z}反对药价谈判，因为她的金主是药企。", "{z}为了政治献金出卖了田纳西的病人。",
            "大药厂买下了{z}。", "{z}拿着药企的支票投票。",
        ],
        "extras": ["胰岛素那么贵，原因就在这里。", "田纳西人民该醒醒了。", "金钱政治的典型。",
                   "美国的医疗就是这样被绑架的。", "看看她的捐款人是谁。"],
        "hashtags": ["#布莱克本药企献金", "#大药厂", "#BlackburnPharmaMoney", "#美国政治", "#田纳西"],
    },
    "corruption_scheme": {
        "claims": [
            "{z}卷入金融腐败丑闻。", "{z}用竞选资金养活自己的亲信。", "{z}的房产交易见不得光。",
            "{z}通过空壳公司转移资金。", "{z}是佛罗里达最腐败的政客。", "{z}把参议员办公室变成了生意。",
            "{z}的腐败网络终于曝光了。",
        ],
        "extras": ["钱都去哪了？", "跟着钱走就知道真相。", "佛州选民被骗了。", "这就是美国政客的真面目。",
                   "必须彻查！"],
        "hashtags": ["#卢比奥腐败", "#卢比奥腐败丑闻", "#RubioCorruption", "#美国政治", "#佛罗里达"],
    },
    "rival_support": {
        "claims": [
            "{zr}才是田纳西真正需要的参议员。", "支持{zr}！她是为普通家庭奋斗的老师。",
            "{zr}的支持率一路上升。", "{zr}不拿企业的钱，只为人民说话。", "田纳西选民请投票给{zr}。",
        ],
        "extras": ["改变从这次选举开始。", "11月5日去投票！", "人民的候选人。", "田纳西需要新面孔。"],
        "attacks": ["布莱克本该下台了。", "布莱克本只为金主服务。", "布莱克本在华盛顿待得太久了。"],
        "hashtags": ["#支持约翰逊", "#VoteJohnson", "#田纳西参议员选举", "#GloriaJohnson"],
    },
}

# --- organic posts ----------------------------------------------------------------------------------

# Posts about a down-ballot candidate by ordinary users and news accounts: (stance, template).
# Ordinary criticism here is policy disagreement, never one of the taxonomy narratives.
ORGANIC_CANDIDATE: dict[str, list[tuple[str, str]]] = {
    "barry_moore": [
        ("neutral", "{n} spoke at the Coffee County farm forum this morning about crop insurance."),
        ("neutral", "AL-01: {n} faces Democrat Tom Holmes in November."),
        ("neutral", "{n} voted yes on the Israel security assistance package, per the roll call."),
        ("neutral", "{ns} office says the new VA clinic in Dothan should open next spring."),
        ("neutral", "{n} will hold a town hall in Enterprise on Thursday at 6pm."),
        ("neutral", "{n} is on the Agriculture Committee, so the farm bill delay matters for his district."),
        ("neutral", "Mobile Bay shipyard jobs came up again at {ns} event today."),
        ("favor", "{n} helped my dad sort out his VA benefits. Say what you want, his staff delivered."),
        ("favor", "Proud to support {n}. Strong on the border, strong for Alabama farmers."),
        ("favor", "{ns} stance on Israel is principled. Our allies matter."),
        ("favor", "Thank you {h} for showing up for the peanut farmers in Headland."),
        ("against", "Disagree with {n} on the farm bill, the cuts to SNAP would hurt a lot of families here."),
        ("against", "{n} voted against the infrastructure bill and then showed up to the ribbon cutting. Meh."),
        ("against", "Wish {n} would hold more town halls instead of tele-forums."),
        ("against", "{ns} immigration bill goes way too far imo."),
        ("neutral", "Researchers say a network of new accounts is pushing 'Israel-first' attacks on {n}."),
        ("neutral", "Fact check: the viral posts about {ns} 'dual loyalty' come from accounts created last month."),
    ],
    "michael_mccaul": [
        ("neutral", "{n} chaired today's House Foreign Affairs hearing on Ukraine aid."),
        ("neutral", "{n} says the committee will release its Afghanistan withdrawal report soon."),
        ("neutral", "TX-10: {n} is up for reelection against Democrat Theresa Boisseau."),
        ("neutral", "{n} on Sunday shows talking about Taiwan and China export controls."),
        ("neutral", "{ns} committee subpoenaed State Department records this week."),
        ("neutral", "{n} spoke at the Austin chamber lunch about tech and chips manufacturing."),
        ("neutral", "{n} is leaving the Foreign Affairs gavel next Congress because of term limits."),
        ("favor", "{n} has been solid on Ukraine when a lot of his party wasn't."),
        ("favor", "Good on {h} for pushing the fentanyl precursor sanctions."),
        ("favor", "{n} actually knows foreign policy. Rare these days."),
        ("against", "{n} is wrong on the TikTok ban, it won't fix anything."),
        ("against", "Disappointed {n} skipped the Pflugerville forum again."),
        ("against", "{ns} Afghanistan report is more politics than policy."),
        ("neutral", "Stock trading ban bill got a hearing; {n} has not said how he'd vote."),
        ("neutral", "Fact check: viral posts saying {n} traded on classified briefings cite no filings."),
        ("neutral", "Analysts flag copy-paste 'insider trading' posts about {n} as likely bot activity."),
    ],
    "marsha_blackburn": [
        ("neutral", "{n} and Gloria Johnson will not debate, both campaigns confirmed."),
        ("neutral", "{n} introduced a bill on kids' online safety with Sen. Blumenthal."),
        ("neutral", "TN Senate race: {n} leads in the latest poll by double digits."),
        ("neutral", "{n} spoke at the Farm Bureau meeting in Columbia today."),
        ("neutral", "{n} on Fox this morning talking about the border."),
        ("neutral", "{ns} office says federal storm aid for East Tennessee is on the way."),
        ("favor", "{n} has fought for Tennessee songwriters on AI and copyright, love that."),
        ("favor", "Kids Online Safety Act is a big deal. Thank you {h}."),
        ("favor", "{n} gets my vote again. Conservative and proud."),
        ("against", "{n} is wrong on the farm bill and Tennessee farmers know it."),
        ("against", "Not a fan of {ns} position on the border bill. Kill it for politics? Really?"),
        ("against", "{n} should be talking about Helene recovery, not cable news culture wars."),
        ("neutral", "{n} voted no on the latest spending package."),
        ("neutral", "A wave of near-identical posts about {ns} pharma donations looks coordinated, researchers say."),
    ],
    "marco_rubio": [
        ("neutral", "{n} is on the Intelligence Committee and spoke about the China threat today."),
        ("neutral", "{n} is being floated as a possible Secretary of State pick."),
        ("neutral", "{n} visited Tampa Bay after Hurricane Milton to meet with local officials."),
        ("neutral", "{n} is not on the ballot this year; his seat is up in 2028."),
        ("neutral", "{ns} op-ed on the Cuba embargo is getting a lot of attention in Miami."),
        ("neutral", "{n} campaigned for Trump in Pennsylvania this weekend."),
        ("favor", "{n} has been right about China for a decade."),
        ("favor", "Grateful to {h} for the hurricane aid push. Fort Myers needed it."),
        ("favor", "{n} would make a great Secretary of State."),
        ("against", "{n} flip-flopped on immigration reform and I haven't forgotten the Gang of Eight."),
        ("against", "{ns} vote on the border bill was pure politics."),
        ("against", "Wish {n} cared as much about Florida home insurance as he does about Cuba."),
        ("neutral", "Accounts created weeks ago are pushing a '{s} corruption scheme' story, some in Chinese, "
                    "per researchers."),
    ],
    "gloria_johnson": [
        ("neutral", "{r} is the Democratic nominee against Marsha Blackburn in Tennessee."),
        ("neutral", "{r} held a rally in Chattanooga on Saturday."),
        ("neutral", "{r} was one of the Tennessee Three after the Covenant school shooting protests."),
        ("favor", "Voted early for {r}. Felt good."),
        ("favor", "{r} visited our school board meeting and actually listened."),
        ("neutral", "Like {r} personally but she can't win statewide in Tennessee."),
    ],
}

# Other candidates a candidate template may name in passing: they are targets too (stance neutral).
ALSO_NAMED: dict[str, str] = {
    "marsha_blackburn": "Blackburn", "gloria_johnson": "Gloria Johnson", "donald_trump": "Trump",
}

# Posts about national figures: (targets with stance, template). Stance "neutral" unless noted.
ORGANIC_NATIONAL: list[tuple[dict[str, str], str]] = [
    ({"donald_trump": "neutral"}, "Trump holds a rally in {city} tonight."),
    ({"donald_trump": "favor"}, "Trump 2024! Lower prices, secure border. 🇺🇸"),
    ({"donald_trump": "against"}, "Trump's tariff plan would raise prices on everything. Basic economics."),
    ({"donald_trump": "neutral"}, "Trump says he will not do another debate."),
    ({"donald_trump": "favor"}, "Watched the Trump rally in {city}, the crowd was huge."),
    ({"donald_trump": "against"}, "Trump's speech tonight was 90 minutes of grievances. Tired."),
    ({"kamala_harris": "neutral"}, "Harris campaigns in {city} with a focus on housing costs."),
    ({"kamala_harris": "favor"}, "Kamala Harris for president. Let's go! 💙"),
    ({"kamala_harris": "against"}, "Harris still hasn't explained how she'd pay for her housing plan."),
    ({"kamala_harris": "neutral"}, "VP Harris sits down for an interview on 60 Minutes."),
    ({"kamala_harris": "favor"}, "Harris was great in the debate. Prepared and calm."),
    ({"kamala_harris": "against"}, "Not convinced by Harris on the economy, sorry."),
    ({"joe_biden": "neutral"}, "President Biden visits {city} to tour hurricane damage."),
    ({"joe_biden": "favor"}, "Biden's infrastructure law is rebuilding the bridge on our road. Credit where due."),
    ({"joe_biden": "against"}, "Biden's border policy for three years was a mess, whatever anyone says."),
    ({"joe_biden": "neutral"}, "Biden speaks at the UN General Assembly today."),
    ({"tim_walz": "neutral"}, "Tim Walz does a campaign stop in {city}."),
    ({"tim_walz": "favor"}, "Walz seems like a good coach-dad kind of guy. Like him."),
    ({"tim_walz": "against"}, "Walz stumbled through the VP debate, not his night."),
    ({"jd_vance": "neutral"}, "JD Vance speaks in {city} this afternoon."),
    ({"jd_vance": "favor"}, "Vance won the VP debate, clear and calm."),
    ({"jd_vance": "against"}, "JD Vance's comments about childless voters were a bad look."),
    ({"jd_vance": "neutral", "tim_walz": "neutral"}, "VP debate tonight: Vance vs Walz, 9pm ET on CBS."),
    ({"kamala_harris": "neutral", "donald_trump": "neutral"}, "Harris and Trump debate in Philadelphia tonight."),
    ({"kamala_harris": "neutral", "donald_trump": "neutral"}, "New poll: Harris 48, Trump 47 in {state}."),
    ({"kamala_harris": "favor", "donald_trump": "against"}, "Harris wiped the floor with Trump in that debate."),
    ({"kamala_harris": "against", "donald_trump": "favor"},
     "Trump won that debate on substance, Harris dodged every question."),
    ({"donald_trump": "neutral", "jd_vance": "neutral"}, "Trump and Vance hold a joint rally in {city}."),
    ({"kamala_harris": "neutral", "tim_walz": "neutral"}, "Harris and Walz do their first joint interview on CNN."),
    ({"joe_biden": "neutral", "kamala_harris": "neutral"}, "Biden and Harris appear together at a Labor Day event."),
    ({"donald_trump": "neutral", "marco_rubio": "neutral"}, "Rubio joins Trump on stage in {city}."),
    ({"marsha_blackburn": "neutral", "gloria_johnson": "neutral"},
     "TN Senate: Blackburn vs Gloria Johnson, early voting starts Oct 16."),
    ({"marsha_blackburn": "favor", "gloria_johnson": "against"},
     "Blackburn by 20. Gloria Johnson is too liberal for Tennessee."),
    ({"marsha_blackburn": "against", "gloria_johnson": "favor"},
     "Voted for Gloria Johnson. Blackburn never answers our letters about the VA."),
]

# Politics posts with no candidate target.
ORGANIC_POLITICS: list[str] = [
    "Early voting lines in {city} are long this morning, bring water.",
    "Reminder: check your voter registration before the deadline.",
    "Congress should ban members from trading individual stocks. Both parties.",
    "The farm bill extension expires again and nobody in DC seems to care.",
    "Polling place changed for my precinct, double check yours.",
    "Anyone know if the county has drop boxes this year?",
    "My ballot is 4 pages long, who are all these judges lol",
    "Campaign ads on every YouTube video now. November can't come soon enough.",
    "Watched the debate with my dad, we disagreed on everything and still had pie.",
    "Helene relief volunteers in {city} need water and diapers, not thoughts.",
    "Insurance premiums in Florida are insane right now, my renewal went up 40%.",
    "Local school board races matter more than people think.",
    "Got my I Voted sticker 🇺🇸",
    "Election night watch party at my place, bring snacks.",
    "Why are there so many political texts. I never signed up for this.",
    "Congressional stock trading is a bipartisan problem and should be a bipartisan fix.",
    "Poll workers are heroes. Be nice to them.",
    "Amendment 4 is the main thing people are talking about here in Florida.",
    "Israel and Gaza came up at the town hall and it got heated but respectful.",
    "Drug prices are too high, my insulin copay just went up again.",
    "Took my daughter to vote for the first time today. Proud dad moment.",
    "Mail ballots in {state} can be tracked online, good to know.",
    "The Senate map this year is rough for Democrats.",
    "Whoever wins, I just want the ads to stop.",
    "Pharma ads during the football game, every break. Every single one.",
    "Volunteered at the phone bank tonight. Lots of hang ups, some good chats.",
    "County commission candidates forum tonight at the library.",
    "Lobbying reform should be a bigger issue in every race.",
]

CITIES: list[str] = ["Nashville", "Knoxville", "Memphis", "Chattanooga", "Mobile", "Dothan", "Austin",
                     "Houston", "Miami", "Tampa", "Orlando", "Atlanta", "Philadelphia", "Milwaukee",
                     "Detroit", "Phoenix", "Las Vegas", "Raleigh", "Pittsburgh", "Asheville"]
STATES: list[str] = ["Pennsylvania", "Michigan", "Wisconsin", "Georgia", "Arizona", "Nevada", "North Carolina",
                     "Florida", "Texas", "Tennessee"]

# Everyday posts about unrelated things. `{x}` draws from FILL[topic].
ORGANIC_TOPICS: dict[str, list[str]] = {
    "sports": [
        "What a game by the {x} tonight!", "The {x} defense is a disaster this year.",
        "Can't believe the {x} lost that one in overtime.", "Season tickets for the {x} were worth it today.",
        "Fantasy week {d}: my team is cooked.", "Ref missed that call completely. Robbed.",
        "Vols football is back and so is my blood pressure.", "World Series watch party at the bar tonight ⚾",
        "Roll Tide! What a comeback.", "Coach needs to start the backup QB already.",
        "Nothing beats a Saturday in the fall with college football on.", "{x} vs rivals this weekend, who you got?",
        "Watching the {x} at my brother's place tonight.", "Two-hour rain delay and the {x} still lost.",
        "Tailgate was better than the game, as usual.", "Little league season is over, I miss it already.",
    ],
    "weather": [
        "Finally some cooler weather in {city} 🍂", "Storm warnings again tonight, stay safe y'all.",
        "It's October and still 88 degrees here. Make it stop.", "Power just came back on after the storm.",
        "Hurricane prep done: water, batteries, gas. Now we wait.", "Gorgeous sunset over {city} tonight.",
        "Frost on the windshield this morning, fall is here.", "Rain all weekend. Great. Just great.",
        "The leaves in the Smokies are peaking right now 🍁", "Tornado sirens tested at noon, don't panic.",
        "Fog so thick in {city} this morning I couldn't see the mailbox.", "First fire in the fireplace this year.",
        "Humidity at 90% in {city}, hair is a lost cause.",
    ],
    "food": [
        "Best {x} I've had all year, no question.", "Trying a new {x} recipe tonight, wish me luck.",
        "Hot take: {x} is overrated.", "Meal prep Sunday: {x} and rice for days.",
        "The new {x} place downtown is worth the wait.", "Made {x} from scratch and the kitchen is a mess.",
        "Pumpkin spice everything is back and I'm not mad.", "Brisket smoked for 14 hours. Worth it.",
        "Grandma's {x} recipe hits different.", "Is it weird to eat {x} for breakfast?",
        "Food truck outside work had {x} today.", "Date night: {x} and a movie.", "Potluck at church, I brought {x}.",
    ],
    "tech": [
        "My phone update broke Bluetooth again.", "Trying out the new {x} and honestly it's pretty good.",
        "Anyone else's Wi-Fi garbage today?", "Spent all day debugging a one-character typo.",
        "New laptop day! Setting up {x} now.", "Password managers are the best thing I ever set up.",
        "AI writing tools are everywhere now, mixed feelings.", "Just switched from {x}, no regrets so far.",
        "Why does every app need a subscription now.", "Built my first PC this weekend 🖥️",
        "Printer jammed again. Printers are the enemy.", "Smart thermostat decided it's summer.",
        "Finally moved my photos off the old {x}.",
    ],
    "music": [
        "{x} concert was incredible last night!", "Can't stop listening to the new {x} album.",
        "Live music on Broadway in Nashville never gets old.", "Playlist for the road trip: mostly {x}.",
        "Saw {x} live and I'm still not over it.", "Learning guitar at 40. Fingers hurt. Worth it.",
        "Vinyl shopping this weekend, found an old {x} record.", "Open mic night went better than expected 🎤",
        "Road trip soundtrack: {x} on repeat.", "The {x} tour is coming to {city}!", "Band practice ran late again.",
    ],
    "life": [
        "Dog learned to open the fridge. We're doomed.", "Traffic on I-40 is a nightmare today.",
        "Finally finished painting the living room.", "Coffee number three, it's only 10am.",
        "Kid's soccer game in the rain, parenting achievement unlocked.", "Garden gave us way too many peppers this year.",
        "Halloween costumes sorted, the kids are dinosaurs 🦖", "Monday again? Already?",
        "Thanksgiving plans already stressing me out.", "Library book sale this weekend in {city}!",
        "Flight to {city} delayed three hours.", "Car needs new tires, of course it does.",
        "Took the kids to the pumpkin patch.", "Mowed the lawn for what I hope is the last time this year.",
    ],
}

# Second sentences an everyday post may go on with, per topic (and for political posts).
ORGANIC_TAILS: dict[str, list[str]] = {
    "sports": ["Defense looked lost all night.", "Refs were awful both ways.", "The QB finally showed up.",
               "My dad called it in the first quarter.", "Stadium was loud as ever.", "Bullpen blew it again.",
               "Still can't believe that last drive.", "Parking was a nightmare though.",
               "Next week's game is the real test.", "I need a new jersey.", "Kids stayed up for the whole thing."],
    "weather": ["Porch weather finally.", "The dog refuses to go outside.", "Grabbing a jacket just in case.",
                "Allergies are brutal.", "Gas station lines are already long.", "Forecast keeps changing.",
                "Sunrise this morning was unreal.", "Watering the garden can wait.", "Schools might close tomorrow.",
                "Hope everyone out east is ok."],
    "food": ["Recipe in the replies if anyone wants it.", "Kids asked for seconds, huge win.",
             "Going back next week for sure.", "Way too much garlic, no regrets.", "Line was out the door.",
             "My cast iron finally earned its keep.", "Leftovers for days.", "Not pretty but delicious.",
             "Pairing it with sweet tea, obviously.", "Grandpa approved."],
    "tech": ["Turned it off and on again, nothing.", "Support chat was useless.", "Battery life is wild though.",
             "Took all afternoon to set up.", "Never updating again.", "Reading the docs like a grown-up.",
             "The dark mode alone is worth it.", "My kid fixed it in two minutes.", "Backups saved me.",
             "Still cheaper than the old one."],
    "music": ["Still humming it at work.", "The opener was great too.", "Set list was perfect.",
              "Worth every penny.", "Lost my voice singing along.", "Already bought tickets for next year.",
              "Crowd was so good.", "Played it three times on the drive home.", "That bridge though.",
              "Nashville never misses."],
    "life": ["Send coffee.", "Anyway, back to work.", "The kids think it's hilarious.", "Small wins.",
             "Neighbors came over to help.", "Tomorrow's problem.", "Honestly not mad about it.",
             "Calling it a day early.", "Pictures coming later.", "Life is good."],
    "politics": ["Curious what others think.", "We'll see how it goes.", "Not holding my breath.",
                 "Talked about it at dinner and got nowhere.", "Local news barely covered it.",
                 "Could go either way.", "Just my two cents.", "Would love to be wrong.",
                 "Saw it on the local news this morning.", "Mixed feelings honestly."],
}

FILL: dict[str, list[str]] = {
    "sports": ["Titans", "Vols", "Grizzlies", "Predators", "Dolphins", "Texans", "Longhorns", "Gators",
               "Crimson Tide", "Astros", "Rays", "Braves", "Dodgers", "Yankees", "Lightning", "Aggies"],
    "food": ["hot chicken", "barbecue", "gumbo", "tacos", "pho", "ramen", "pizza", "biscuits", "chili",
             "Cuban sandwich", "banana pudding", "fried catfish", "sushi", "pad thai"],
    "tech": ["Linux", "iPhone", "Pixel", "Windows", "Mac", "Chromebook", "VS Code", "ChatGPT", "Firefox"],
    "music": ["Chris Stapleton", "Taylor Swift", "Zach Bryan", "Beyoncé", "Jason Isbell", "Kacey Musgraves",
              "Morgan Wallen", "Billie Eilish", "Tyler Childers", "Olivia Rodrigo"],
}

# Name collisions: posts that mention a candidate's surname (or a near-homonym) about someone or
# something else. Gold: targets [] and narrative "none".
COLLISIONS: dict[str, list[str]] = {
    "roy_moore": [
        "Roy Moore is still suing people over the 2017 race? Wild.",
        "Remember when Roy Moore rode a horse to the polling place?",
        "Roy Moore's old Ten Commandments monument fight still comes up in Montgomery.",
        "Judge Roy Moore shows up in another Alabama court filing this week.",
    ],
    "michael_moore": [
        "Rewatching Bowling for Columbine, Michael Moore was ahead of his time.",
        "Michael Moore says Michigan is going to be close again.",
        "Michael Moore's Substack post about Flint is worth a read.",
        "Fahrenheit 9/11 is 20 years old this year. Michael Moore documentaries hit different.",
    ],
    "moore_oklahoma": [
        "Moore, Oklahoma schools cancelled after overnight storms.",
        "Grew up in Moore OK, tornado season never stops being scary.",
        "New Braum's opening in Moore, Oklahoma this week!",
        "Moore High football beat Norman North on Friday night.",
    ],
    "demi_moore": [
        "Demi Moore in The Substance is absolutely unhinged, go see it.",
        "Demi Moore deserves an Oscar nomination for The Substance.",
        "Watched Ghost again tonight. Demi Moore and Patrick Swayze 😭",
        "Demi Moore's red carpet look at the premiere was stunning.",
    ],
    "moores_law": [
        "Moore's law is slowing down but chips keep getting better somehow.",
        "Gordon Moore's prediction still shapes the whole semiconductor industry.",
    ],
    "blackburn_rovers": [
        "Blackburn Rovers grab a late winner at Ewood Park!",
        "Blackburn Rovers up to fifth in the Championship, who saw that coming?",
        "Rovers fan in Tennessee, waking up at 7am for Blackburn matches like a lunatic.",
        "Blackburn Rovers v Sheffield Wednesday on the weekend, should be a good one.",
    ],
    "tony_blackburn": [
        "Tony Blackburn still on the radio after 60 years, legend.",
        "Tony Blackburn's Golden Hour on BBC Radio 2 is my Friday night treat.",
        "Tony Blackburn played Northern Soul all morning, perfect.",
    ],
    "blackburn_other": [
        "Blackburn, Lancashire is where my grandparents were from.",
        "Our neighbor Mr. Blackburn fixed the fence for free, nicest guy.",
    ],
    "mccall_idaho": [
        "McCall, Idaho in the fall is unreal. Payette Lake was glass this morning.",
        "Winter carnival in McCall is on my bucket list.",
        "Drove through McCall on the way to Boise, gorgeous mountains.",
    ],
    "marco_polo": [
        "Kids playing Marco Polo in the pool until it got dark.",
        "Reading a biography of Marco Polo, the Silk Road was wild.",
        "Marco Polo airport in Venice was chaos today lol",
    ],
    "other_rubio": [
        "Our neighbor Mrs. Rubio brought over tamales, best neighbor ever.",
        "Dr. Rubio at the clinic is the kindest pediatrician.",
        "Rubio's Coastal Grill fish tacos for lunch, still good.",
        "Mike Rubio hit a home run in the rec league final!",
        "Rubio's barbershop on 5th street is the only place I trust with my hair.",
    ],
    "other_marco": [
        "Marco from accounting brought donuts, legend.",
    ],
    "dwayne_johnson": [
        "Dwayne Johnson's new movie trailer just dropped.",
        "The Rock, Dwayne Johnson, hosting SNL again? I'm in.",
        "Dwayne Johnson in The Smashing Machine looks like a real acting role.",
    ],
    "boris_johnson": [
        "Boris Johnson's memoir is out and the excerpts are something else.",
        "Boris Johnson doing a book tour interview on the BBC today.",
        "Boris Johnson says he'd have handled things differently. Sure, Boris.",
    ],
    "other_johnson": [
        "Coach Johnson's team made the playoffs, proud of these kids!",
        "Magic Johnson courtside again, love to see it.",
        "Johnson & Johnson stock is flat today.",
        "Mrs. Johnson's fifth grade class raised $500 for hurricane relief!",
    ],
}

# A few organic posts in other languages (no targets unless noted), so that language alone never
# identifies campaign posts.
ORGANIC_ZH: list[str] = [
    "今天纳什维尔的天气真好，适合散步。", "周末去吃了火锅，太满足了！", "孩子第一次参加足球比赛，好紧张。",
    "美国大选快到了，大家记得去投票。", "新开的中餐馆味道很正宗，推荐！", "休斯顿今天又下大雨了。",
    "刚看完世界大赛，道奇队太强了。", "秋天到了，树叶都变红了。", "今天学会了做饺子，家人都说好吃。",
]
ORGANIC_ES: list[str] = [
    "Hoy votamos temprano en Miami, ¡no hay excusa!", "Qué calor hace en Houston todavía en octubre.",
    "El huracán Milton nos dejó sin luz dos días.", "Los Marlins otra vez perdieron, ni modo.",
    "Mi abuela hizo arroz con pollo para toda la familia.", "¿Alguien sabe dónde votar en Hialeah?",
]
# Spanish news about Rubio (neutral, target marco_rubio).
ORGANIC_ES_RUBIO: list[str] = [
    "El senador Marco Rubio visitó Tampa tras el paso del huracán Milton.",
    "Rubio habló sobre Cuba y Venezuela en una entrevista en Miami.",
    "Marco Rubio hace campaña por Trump en Pensilvania este fin de semana.",
]

ORGANIC_EMOJI: list[str] = ["😂", "🙏", "❤️", "👍", "😅", "🔥", "😭", "💯", "🤷", "😎", "🙌", "🇺🇸"]
ORGANIC_PREFIXES: list[str] = ["honestly", "ok but", "lol", "ngl", "Fun fact:", "Update:", "So", "Welp,",
                               "Not gonna lie,", "Y'all,", "Fyi", "Hot take:"]
ORGANIC_SUFFIXES: list[str] = ["lol", "haha", "just saying", "anyway", "fwiw", "tbh", "🤷", "thoughts?",
                               "can't make this up", "...", "!!", "we'll see"]
NEWS_PREFIXES: list[str] = ["NEW:", "JUST IN:", "Update:", "Today:", "Report:", "ICYMI:"]

# Handle pieces.
FIRST_NAMES: list[str] = [
    "amy", "ben", "carla", "dan", "ella", "frank", "gina", "hank", "ivy", "jake", "kim", "luis", "maria",
    "nate", "olivia", "pete", "quinn", "rosa", "sam", "tina", "uma", "vic", "will", "xena", "yara", "zach",
    "becky", "chris", "dee", "eddie", "faith", "greg", "holly", "isaac", "jess", "kyle", "lena", "mike",
    "nina", "omar", "paula", "ray", "sara", "tom", "val", "wes", "andre", "bea", "cody", "dana", "erin",
    "gus", "hope", "joel", "kara", "lucy", "marcus", "noel", "owen", "priya", "rick", "shay", "trey",
    "wendy", "mei", "wei", "jun", "ana", "jose", "carmen", "diego", "bill", "june", "earl", "ruth",
]
HANDLE_WORDS: list[str] = [
    "tn", "vols", "bama", "tx", "fl", "mom", "dad", "coach", "nurse", "teacher", "farm", "bbq", "runner",
    "gamer", "reads", "cooks", "writes", "news", "photo", "hikes", "vet", "dev", "music", "fan", "life",
    "grandma", "garden", "fishing", "cpa", "rn", "atx", "nash", "mem", "knox", "mia", "hou", "tpa",
]
NEWS_HANDLES: list[str] = ["AL_NewsDesk", "TNPoliticsWire", "FloridaCapitolBeat", "TexasHillReport",
                           "WiregrassDaily", "KnoxLocalNews", "CapitolNotebook", "Election2024Live",
                           "GulfCoastHerald", "MemphisMetroNews"]
BOT_WORDS: list[str] = ["Truth", "Patriot", "Freedom", "Eagle", "Liberty", "Voice", "Real", "Wake",
                        "Justice", "Citizen", "Watch", "Honest", "People", "Free", "Sky", "Star"]
BOT_NAMES: list[str] = ["Linda", "Emily", "Jessica", "Mary", "Sarah", "Karen", "Susan", "James", "Robert",
                        "David", "John", "Nancy", "Laura", "Kevin", "Amanda", "Brian"]

# --- Russian-language posts (lang ru) ----------------------------------------------------------------
# Kept in one block of their own: the generator draws them from a separate random stream
# (`russian._russian_posts`), so the rest of the corpus stays as it was.

# Russian name forms per target, nominative (the claims are written so the name is the subject).
RU_NAMES: dict[str, list[str]] = {
    "barry_moore": ["Барри Мур", "конгрессмен Барри Мур", "конгрессмен Мур из Алабамы"],
    "michael_mccaul": ["Маккол", "Майкл Маккол", "конгрессмен Маккол", "техасский конгрессмен Маккол"],
    "marsha_blackburn": ["Блэкберн", "Марша Блэкберн", "сенатор Блэкберн", "сенатор от Теннесси Марша Блэкберн"],
    "marco_rubio": ["Рубио", "Марко Рубио", "сенатор Рубио", "флоридский сенатор Рубио"],
    "gloria_johnson": ["Глория Джонсон"],
}

# Russian campaign copy. `{y}` is a Russian name form of the target, `{yr}` of Gloria Johnson.
CAMPAIGN_RU: dict[str, dict[str, list[str]]] = {
    "antisemitic_tropes": {
        "claims": [
            "{y} служит Израилю, а не Алабаме.", "{y} взял деньги израильского лобби и голосует только за Израиль.",
            "{y} — марионетка израильского лобби.", "{y} ставит Израиль выше Америки.",
            "{y} продал избирателей Алабамы Израилю.", "{y} думает только об Израиле, а не о фермерах своего штата.",
        ],
        "extras": ["Посмотрите на список его спонсоров.", "Америка прежде всего или Израиль прежде всего?",
                   "Вот истинное лицо американских политиков.", "Проснитесь, американцы!", "Деньги решают всё."],
        "hashtags": ["#МурСлужитИзраилю", "#ИзраильПревышеВсего", "#AIPACPuppet", "#ВыборыСША", "#BarryMoore"],
    },
    "insider_trading": {
        "claims": [
            "{y} торгует акциями по секретным брифингам.", "{y} продал акции прямо перед объявлением санкций.",
            "{y} — главный инсайдер Конгресса.", "{y} голосует за оборонный бюджет и покупает акции оборонки.",
            "{y} зарабатывает на бирже больше хедж-фонда. Совпадение?",
            "{y} превратил комитет по иностранным делам в свою биржу.",
        ],
        "extras": ["Инсайдерскую торговлю в Конгрессе никто не наказывает.", "Вот такая у них демократия.",
                   "Простые люди теряют, конгрессмены богатеют.", "Проверьте его сделки.", "Какая ирония."],
        "hashtags": ["#МакколИнсайдер", "#КонгрессНаБирже", "#McCaulInsiderTrading", "#ВыборыСША", "#Инсайд"],
    },
    "industry_money": {
        "claims": [
            "{y} получила деньги фармацевтических компаний, поэтому лекарства такие дорогие.",
            "{y} — голос фармацевтического лобби в Сенате.",
            "{y} против снижения цен на лекарства, потому что её спонсоры — фармкомпании.",
            "{y} продала пациентов Теннесси за пожертвования.", "{y} куплена фармацевтическими гигантами.",
        ],
        "extras": ["Вот почему инсулин так дорог.", "Жители Теннесси, проснитесь!", "Типичная власть денег.",
                   "Так американскую медицину взяли в заложники.", "Посмотрите, кто её спонсирует."],
        "hashtags": ["#БлэкбернФармаДеньги", "#БольшаяФарма", "#BlackburnPharmaMoney", "#ВыборыСША", "#Теннесси"],
    },
    "corruption_scheme": {
        "claims": [
            "{y} замешан в финансовом коррупционном скандале.", "{y} кормит своих приближённых из денег кампании.",
            "{y} скрывает тёмные сделки с недвижимостью.", "{y} выводит деньги через подставные компании.",
            "{y} — самый коррумпированный политик Флориды.", "{y} превратил офис сенатора в бизнес.",
        ],
        "extras": ["Куда ушли деньги?", "Следите за деньгами — и увидите правду.", "Избирателей Флориды обманули.",
                   "Нужно полное расследование!"],
        "hashtags": ["#РубиоКоррупция", "#КоррупцияРубио", "#RubioCorruption", "#ВыборыСША", "#Флорида"],
    },
    "rival_support": {
        "claims": [
            "{yr} — вот кто действительно нужен Теннесси в Сенате.",
            "{yr} — наш кандидат! Учительница, которая борется за простые семьи.",
            "{yr}: рейтинг растёт с каждым днём.", "{yr} не берёт денег корпораций и говорит от имени народа.",
            "Избиратели Теннесси, наш выбор — {yr}.",
        ],
        "extras": ["Перемены начинаются с этих выборов.", "5 ноября — все на выборы!", "Кандидат народа.",
                   "Теннесси нужны новые лица."],
        "attacks": ["Блэкберн пора уходить.", "Блэкберн служит только своим спонсорам.",
                    "Блэкберн слишком долго сидит в Вашингтоне."],
        "hashtags": ["#ЗаДжонсон", "#VoteJohnson", "#ВыборыВСенатТеннесси", "#GloriaJohnson"],
    },
}

# Everyday Russian posts (no targets), so that Russian alone never identifies campaign posts.
ORGANIC_RU: list[str] = [
    "Сегодня в Нэшвилле отличная погода, пошли гулять в парк.", "На выходных ходили в новый ресторан, очень вкусно!",
    "Сын впервые играл в футбольном матче, я так волновалась.", "Выборы скоро, не забудьте проголосовать.",
    "В Хьюстоне опять ливень, дороги затопило.", "Осень пришла, листья уже совсем жёлтые.",
    "Научилась печь пироги с капустой, вся семья в восторге.", "Кто знает хорошего автомеханика в Мемфисе?",
    "Досмотрели Мировую серию, «Доджерс» сильны.", "Купили тыкву на Хэллоуин, дети счастливы.",
]
