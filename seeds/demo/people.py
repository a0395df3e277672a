"""Who the demo investors are: names in passport order by nationality (surname first, a
wife's surname by custom), birth dates, passports and alien registration numbers that never
repeat, e-mail addresses on reserved example domains only (a demo never mails a real person).

The shares follow the programs' public history: about seven in ten investors Chinese, then
Vietnam, Russia, Taiwan, Hong Kong, the United States and a long tail.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from investments.choices import Relation

# Per nationality: share of investors, passport formats (# = a digit), a wife's surname ("keep"
# her own, "share" her husband's, "slavic" his + A), then surnames, men's and women's names.
PEOPLE_TABLE = """
CN 70 E########,G######## keep
    WANG,LI,ZHANG,LIU,CHEN,YANG,HUANG,ZHAO,WU,ZHOU,XU,SUN,MA,ZHU,HU,GUO,HE,LIN,LUO,GAO,ZHENG,
    LIANG,XIE,SONG,TANG,HAN,FENG,DENG,CAO,PENG,XIAO,DONG
    Wei,Jun,Hao,Lei,Qiang,Yong,Jie,Tao,Ming,Chao,Gang,Bo,Peng,Jianguo,Zhiwei,Haitao,Xiaoming,
    Guoqiang,Wenbin,Zhiqiang,Dong,Kai
    Fang,Na,Min,Jing,Yan,Juan,Xia,Ying,Hong,Hua,Mei,Lan,Ting,Qian,Xue,Yun,Xiaoyan,Lijuan,Hongmei,
    Yuqing,Ling,Wen
VN 5 B#######,C####### keep
    NGUYEN,TRAN,LE,PHAM,HOANG,HUYNH,PHAN,VU,VO,DANG,BUI,DO,NGO
    Van Hung,Van Minh,Duc Tuan,Van Dung,Quoc Nam,Van Long,Minh Quang,Duc Thanh,Van Hai
    Thi Lan,Thi Hoa,Thi Huong,Thi Mai,Ngoc Anh,Thu Trang,Thi Hanh,Thanh Linh,Thi Ngoc
RU 4 75#######,76####### slavic
    IVANOV,SMIRNOV,KUZNETSOV,POPOV,VASILIEV,PETROV,SOKOLOV,MIKHAILOV,NOVIKOV,FEDOROV,MOROZOV,
    VOLKOV,BELYAEV,ORLOV
    Sergei,Alexei,Dmitry,Andrei,Vladimir,Nikolai,Igor,Mikhail,Pavel,Oleg,Yuri
    Olga,Elena,Natalia,Irina,Tatiana,Svetlana,Anna,Marina,Yulia,Ekaterina
TW 3 3######## keep
    CHEN,LIN,HUANG,CHANG,LI,WANG,WU,LIU,TSAI,YANG,HSU,CHENG
    Chih-Ming,Chien-Hung,Wen-Hsiung,Chun-Chieh,Kuo-Hua,Tsung-Han,Cheng-Yu
    Shu-Fen,Mei-Ling,Hui-Chen,Ya-Ting,Pei-Shan,Yi-Chun,Hsiu-Ying
HK 3 K########,H######## keep
    CHAN,WONG,LEUNG,LAU,LEE,CHEUNG,NG,HO,LAM,TANG,YEUNG
    Tai Man,Ka Ho,Chi Keung,Wing Kin,Siu Ming,Kwok Wai,Chun Kit
    Ka Yan,Mei Ling,Wai Man,Siu Fong,Hoi Yan,Suk Yee,Wing Sze
US 3 5########,A######## share
    SMITH,JOHNSON,WILLIAMS,BROWN,JONES,MILLER,DAVIS,WILSON,ANDERSON,TAYLOR,KIM,LEE,PARK,CHEN
    James,John,Robert,Michael,David,William,Daniel
    Mary,Jennifer,Linda,Patricia,Elizabeth,Susan,Sarah,Karen
MY 2 A######## keep
    TAN,LIM,LEE,ONG,WONG,NG,TEH,GOH,CHONG,YAP
    Wei Ming,Chee Keong,Kok Leong,Boon Huat,Jun Hao,Kah Seng
    Mei Ling,Siew Lan,Li Ying,Pei Shan,Hui Min,Siew Mei
ID 2 B#######,C####### share
    SANTOSO,WIJAYA,GUNAWAN,HALIM,SALIM,KUSUMA,HARTONO,SETIAWAN
    Budi,Andi,Hendra,Agus,Rudy,Kevin,Bambang
    Dewi,Siti,Lina,Maya,Sari,Indah,Ratna
KZ 2 N######## slavic
    NURLANOV,ABENOV,SEITKALIEV,ZHUMABAYEV,OMAROV,ISMAILOV,KASYMOV,BEKOV
    Aidar,Nurlan,Yerlan,Daniyar,Arman,Askar,Bolat,Marat
    Aigerim,Dana,Gulnara,Aliya,Saule,Madina,Zhanna,Asel
MN 2 E####### keep
    BATBAYAR,GANBOLD,ERDENEBAT,TSEND,OTGONBAYAR,DORJ,BOLD,SUKHBAATAR
    Bat-Erdene,Ganzorig,Temuulen,Munkhbat,Enkhbold,Tuvshin
    Enkhjargal,Oyuntsetseg,Sarangerel,Narantsetseg,Bolormaa,Altantsetseg
JP 2 TK#######,TR#######,MZ####### share
    TANAKA,SATO,SUZUKI,TAKAHASHI,WATANABE,ITO,YAMAMOTO,NAKAMURA,KOBAYASHI,KATO
    Hiroshi,Takeshi,Kenji,Makoto,Daisuke,Satoshi
    Yuko,Keiko,Akiko,Naomi,Yumi,Megumi,Ayaka
PH 2 P#######A,P#######B share
    SANTOS,REYES,CRUZ,BAUTISTA,GARCIA,MENDOZA,TAN,LIM,GO
    Jose,Juan,Antonio,Mark,Paolo,Rafael
    Maria,Ana,Kristine,Angelica,Patricia,Joy
"""


@dataclass(frozen=True)
class Nationality:
    weight: int
    passports: str
    wife: str
    surnames: list
    male: list
    female: list


def read_people(text):
    """``PEOPLE_TABLE`` → {code: Nationality}; a head line, then three comma lists."""
    people, rows = {}, []
    for line in text.strip().splitlines():
        if not line.startswith(" "):
            rows.append([line.split(), ""])
        else:
            rows[-1][1] += line.strip() + ("" if line.endswith(",") else "\n")
    for (code, weight, passports, wife), names in rows:
        lists = [part.split(",") for part in names.strip().split("\n")]
        people[code] = Nationality(int(weight), passports, wife, *lists)
    return people


PEOPLE = read_people(PEOPLE_TABLE)
NATIONALITIES, NATIONALITY_WEIGHTS = list(PEOPLE), [p.weight for p in PEOPLE.values()]


@dataclass
class Identity:
    nationality: str
    sex: str
    surname: str  # the family's form (a slavic surname in its male form)
    given: str
    date_of_birth: date
    passport: str
    email: str = ""

    @property
    def full_name(self):
        return display_name(self.nationality, self.sex, self.surname, self.given)


def display_name(nationality, sex, surname, given):
    """Passport order, surname first: 'ZHANG Wei', 'NGUYEN Thi Lan', 'IVANOVA Olga'."""
    if PEOPLE[nationality].wife == "slavic" and sex == "F":
        surname += "A"
    return f"{surname} {given}"


def add_years(day, years):
    """Same day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class Crowd:
    """Draws people: investors, their families, their identification numbers. Passports and
    alien registration numbers are unique over the whole demo."""

    def __init__(self, rng, today):
        self.rng, self.today = rng, today
        self.passports, self.registrations = set(), set()

    def days(self, low, high):
        return timedelta(days=self.rng.randint(low, high))

    def unique(self, pool, formats):
        """A value in one of the comma-separated ``formats`` (# = digit), not yet in ``pool``."""
        while True:
            value = "".join(
                self.rng.choice("0123456789") if c == "#" else c
                for c in self.rng.choice(formats.split(","))
            )
            if value not in pool:
                pool.add(value)
                return value

    def given_name(self, nationality, sex, avoid=""):
        names = PEOPLE[nationality].male if sex == "M" else PEOPLE[nationality].female
        return self.rng.choice([name for name in names if name != avoid])

    def identity(self):
        nat = self.rng.choices(NATIONALITIES, weights=NATIONALITY_WEIGHTS)[0]
        sex = self.rng.choice("MF")
        given, surname = self.given_name(nat, sex), self.rng.choice(PEOPLE[nat].surnames)
        born = date(1955, 1, 1) + self.days(0, 41 * 365 - 1)
        email = ""
        if self.rng.random() < 0.4:  # reserved example domains: a demo never mails a real person
            local = f"{given}.{surname}{born:%y}".lower().replace(" ", "").replace("-", "")
            email = f"{local}@example.{self.rng.choice(['com', 'net', 'org'])}"
        passport = self.unique(self.passports, PEOPLE[nat].passports)
        return Identity(nat, sex, surname, given, born, passport, email)

    def registration_number(self, who):
        """An alien registration number: birth date, then 5/6 for men/women born before 2000,
        7/8 after, then six digits."""
        digit = (5 if who.date_of_birth.year < 2000 else 7) + (who.sex == "F")
        return self.unique(self.registrations, f"{who.date_of_birth:%y%m%d}{digit}######")

    def family(self, who, contract_day):
        """``[(relation, nationality, born, full name, passport)]``: a spouse and unmarried
        children young enough to be dependants at the contract. Children carry the father's
        surname; a wife keeps hers or takes his, by nationality."""
        nat, people = who.nationality, PEOPLE[who.nationality]
        keep = people.wife == "keep"
        spouse_surname = self.rng.choice(people.surnames) if keep else who.surname
        father = who.surname if who.sex == "M" else spouse_surname
        members = []
        if self.rng.random() < 0.85:
            born = min(who.date_of_birth + self.days(-6 * 365, 4 * 365), date(1998, 1, 1))
            members.append((Relation.SPOUSE, "F" if who.sex == "M" else "M", spouse_surname, born))
        for _ in range(self.rng.choice([0, 1, 1, 2, 2, 3])):
            born = add_years(who.date_of_birth, self.rng.randint(24, 42)) + self.days(0, 364)
            if add_years(contract_day, -22) <= born <= self.today:
                members.append((Relation.CHILD, self.rng.choice("MF"), father, born))
        family = []
        for relation, sex, surname, born in members:
            given = self.given_name(nat, sex, avoid=who.given)
            passport = (
                self.unique(self.passports, people.passports) if self.rng.random() < 0.85 else ""
            )
            family.append((relation, nat, born, display_name(nat, sex, surname, given), passport))
        return family
