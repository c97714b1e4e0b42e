/**
 * Demo text: given and family names by naming tradition (with the names of older generations),
 * and which traditions go with each ethnic category. Read by demo-population.ts.
 */

export type NamePoolKey =
  | 'british'
  | 'irish'
  | 'europe'
  | 'caribbean'
  | 'african'
  | 'indian'
  | 'pakistani'
  | 'bangladeshi'
  | 'otherAsian'
  | 'chinese'
  | 'other';

export interface NamePool {
  female: readonly string[];
  male: readonly string[];
  family: readonly string[];
  /**
   * Family names borne mostly by one sex in the UK (e.g. Kaur and Singh in Sikh
   * families, Begum among Bangladeshi women).
   */
  familyBySex?: Partial<Record<'female' | 'male', readonly string[]>>;
  /** Popular names shift a lot by generation; used for birth years before 1965. */
  olderFemale?: readonly string[];
  olderMale?: readonly string[];
}

// biome-ignore format: one name per line would make these lists unreadably long
export const NAME_POOLS: Readonly<Record<NamePoolKey, NamePool>> = {
  british: {
    olderFemale: [
      'Margaret', 'Jean', 'Patricia', 'Joan', 'Dorothy', 'Barbara', 'Brenda', 'Sheila', 'Maureen',
      'Pauline', 'Christine', 'Valerie', 'Irene', 'Doreen', 'Eileen', 'Kathleen', 'Sylvia', 'Joyce',
      'Pamela', 'Shirley', 'Elizabeth', 'Mary', 'Janet', 'Linda', 'Susan', 'Carol', 'Ann', 'Beryl',
      'Jennifer', 'Sandra',
    ],
    olderMale: [
      'John', 'David', 'Michael', 'Peter', 'Brian', 'Kenneth', 'Robert', 'Alan', 'Derek', 'Ronald',
      'Roy', 'Keith', 'Colin', 'Geoffrey', 'Raymond', 'Terence', 'Dennis', 'Frank', 'George',
      'William', 'Anthony', 'Barry', 'Malcolm', 'Trevor', 'Graham', 'Roger', 'Norman', 'Stanley',
      'Albert', 'Leslie',
    ],
    female: [
      'Sarah', 'Emma', 'Claire', 'Lisa', 'Nicola', 'Rebecca', 'Laura', 'Gemma', 'Amy', 'Hannah',
      'Jessica', 'Sophie', 'Charlotte', 'Kelly', 'Joanne', 'Rachel', 'Michelle', 'Karen', 'Julie',
      'Tracey', 'Stacey', 'Chloe', 'Lauren', 'Danielle', 'Natalie', 'Jade', 'Katie', 'Lucy', 'Helen',
      'Zoe',
    ],
    male: [
      'James', 'Daniel', 'Matthew', 'Christopher', 'Mark', 'Paul', 'Andrew', 'Richard', 'Stephen',
      'Thomas', 'Adam', 'Ben', 'Craig', 'Lee', 'Darren', 'Jamie', 'Ryan', 'Luke', 'Jack', 'Liam',
      'Sam', 'Nathan', 'Dean', 'Scott', 'Gareth', 'Jason', 'Simon', 'Martin', 'Kevin', 'Gary',
    ],
    family: [
      'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Robinson',
      'Wright', 'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Wood', 'Jackson',
      'Clarke', 'Hughes', 'Harrison', 'Lewis', 'Edwards', 'Turner', 'Hill', 'Moore', 'Cooper', 'Ward',
      'Baker', 'Shaw', 'Holmes', 'Atkinson', 'Sutcliffe', 'Pickering', 'Barraclough', 'Ackroyd',
      'Hepworth', 'Greenwood', 'Marsden', 'Whitaker', 'Lister', 'Brook', 'Dawson', 'Armitage',
      'Fletcher', 'Bennett', 'Pearson', 'Marshall', 'Kershaw',
    ],
  },
  irish: {
    female: [
      'Bridget', 'Mary', 'Kathleen', 'Siobhan', 'Aoife', 'Niamh', 'Maeve', 'Róisín', 'Sinéad',
      'Theresa', 'Eileen', 'Nora',
    ],
    male: [
      'Patrick', 'Seán', 'Michael', 'Declan', 'Liam', 'Brendan', 'Kieran', 'Eamon', 'Cormac',
      'Pádraig', 'Dermot', 'Ciarán',
    ],
    family: [
      'Murphy', 'Kelly', "O'Brien", 'Byrne', 'Ryan', "O'Sullivan", 'Walsh', 'Doyle', 'McCarthy',
      'Gallagher', 'Doherty', 'Kennedy', 'Lynch', 'Quinn', 'Brennan', 'Fitzgerald', 'Connolly',
      'Flanagan',
    ],
  },
  europe: {
    female: [
      'Agnieszka', 'Katarzyna', 'Magdalena', 'Joanna', 'Ewa', 'Andreea', 'Elena', 'Ioana', 'Giulia',
      'Maria', 'Ana', 'Sofia', 'Irena', 'Rasa', 'Eleni', 'Ingrid',
    ],
    male: [
      'Piotr', 'Tomasz', 'Krzysztof', 'Marek', 'Andrei', 'Ionuț', 'Mihai', 'Giuseppe', 'Marco',
      'João', 'Pedro', 'Jonas', 'Dimitris', 'Andreas', 'Stefan', 'Lukas',
    ],
    family: [
      'Nowak', 'Kaczmarek', 'Mazur', 'Krawczyk', 'Wójcik', 'Popescu', 'Ionescu', 'Constantin',
      'Rossi', 'Russo', 'Esposito', 'Silva', 'Santos', 'Ferreira', 'Papadopoulos', 'Georgiou',
      'Müller', 'Schmidt', 'Horváth', 'Novak',
    ],
  },
  caribbean: {
    female: [
      'Beverley', 'Marcia', 'Claudette', 'Hyacinth', 'Gloria', 'Norma', 'Pauline', 'Yvonne', 'Sonia',
      'Jacqueline', 'Shanice', 'Tanisha',
    ],
    male: [
      'Winston', 'Delroy', 'Errol', 'Clive', 'Lloyd', 'Leroy', 'Everton', 'Desmond', 'Carlton',
      'Neville', 'Marlon', 'Tyrone',
    ],
    family: [
      'Campbell', 'Brown', 'Williams', 'Thomas', 'Francis', 'Grant', 'Reid', 'Samuels', 'Bailey',
      'Clarke', 'Henry', 'Richards', 'Gordon', 'Morgan', 'Edwards', 'Powell', 'Johnson', 'Anderson',
    ],
  },
  african: {
    female: [
      'Abimbola', 'Folake', 'Chiamaka', 'Ngozi', 'Adwoa', 'Akosua', 'Fartun', 'Hodan', 'Nyasha',
      'Rutendo', 'Grace', 'Blessing', 'Comfort', 'Esther',
    ],
    male: [
      'Oluwaseun', 'Chukwuemeka', 'Kwame', 'Kofi', 'Abdi', 'Mohamed', 'Tinashe', 'Tendai', 'Emmanuel',
      'Samuel', 'Olumide', 'Ikechukwu', 'Yaw', 'Mustafa',
    ],
    family: [
      'Okafor', 'Adeyemi', 'Okonkwo', 'Adebayo', 'Mensah', 'Asante', 'Owusu', 'Boateng', 'Hassan',
      'Warsame', 'Abdi', 'Moyo', 'Ncube', 'Chikwanha', 'Eze', 'Nwosu', 'Ogunleye', 'Osei',
    ],
  },
  indian: {
    female: [
      'Priya', 'Sunita', 'Anjali', 'Kiran', 'Harpreet', 'Manjit', 'Gurpreet', 'Rekha', 'Nisha',
      'Pooja', 'Meena', 'Sita', 'Jaswinder', 'Kamala',
    ],
    male: [
      'Rajesh', 'Sanjay', 'Amit', 'Vikram', 'Harjit', 'Gurdeep', 'Sukhdev', 'Ravi', 'Anil', 'Arjun',
      'Manoj', 'Dilip', 'Balvinder', 'Jaswant',
    ],
    family: [
      'Patel', 'Sharma', 'Gill', 'Sandhu', 'Mistry', 'Shah', 'Kumar', 'Chauhan', 'Desai', 'Joshi',
      'Mehta', 'Parmar', 'Bhatt', 'Dhillon', 'Sidhu', 'Nair', 'Iyer', 'Reddy',
    ],
    familyBySex: { female: ['Kaur'], male: ['Singh'] },
  },
  pakistani: {
    female: [
      'Shazia', 'Nasreen', 'Farzana', 'Rubina', 'Samina', 'Ayesha', 'Maryam', 'Zainab', 'Sadia',
      'Bushra', 'Amina', 'Nazia',
    ],
    male: [
      'Mohammed', 'Imran', 'Tariq', 'Asif', 'Zahid', 'Khalid', 'Shahid', 'Arshad', 'Bilal', 'Usman',
      'Naveed', 'Waqas',
    ],
    family: [
      'Khan', 'Hussain', 'Ahmed', 'Akhtar', 'Iqbal', 'Mahmood', 'Malik', 'Butt', 'Raja', 'Mirza',
      'Qureshi', 'Shah', 'Javed', 'Riaz', 'Anwar',
    ],
    familyBySex: { female: ['Bibi'] },
  },
  bangladeshi: {
    female: [
      'Rahima', 'Shirin', 'Taslima', 'Nazma', 'Rokeya', 'Fatema', 'Halima', 'Jahanara', 'Sultana',
      'Shamima',
    ],
    male: [
      'Abdul', 'Mohammed', 'Rafiqul', 'Shafiqul', 'Jamal', 'Kamal', 'Habibur', 'Mizanur', 'Anwar',
      'Shahjahan',
    ],
    family: [
      'Miah', 'Uddin', 'Rahman', 'Ali', 'Islam', 'Ahmed', 'Hoque', 'Chowdhury', 'Hussain', 'Alam',
      'Haque',
    ],
    familyBySex: { female: ['Begum', 'Khatun'] },
  },
  otherAsian: {
    female: ['Tharshini', 'Nirmala', 'Maricel', 'Rowena', 'Sabina', 'Anjana', 'Linh', 'Hoa'],
    male: ['Suresh', 'Kajan', 'Rommel', 'Jose', 'Bikash', 'Ramesh', 'Minh', 'Tuan'],
    family: [
      'Sivakumar', 'Thurairajah', 'Santos', 'Reyes', 'Dela Cruz', 'Gurung', 'Rai', 'Thapa', 'Nguyen',
      'Tran',
    ],
  },
  chinese: {
    female: ['Mei Ling', 'Siu Ying', 'Wai Man', 'Xiaoling', 'Yan', 'Li Na', 'Ka Yee', 'Jing'],
    male: ['Wing Kei', 'Chi Keung', 'Kwok Wah', 'Wei', 'Jun', 'Hao', 'Ming', 'Kin Fai'],
    family: ['Wong', 'Chan', 'Cheung', 'Lee', 'Li', 'Liu', 'Chen', 'Wang', 'Lam', 'Ho', 'Ng', 'Yip', 'Leung', 'Tang'],
  },
  other: {
    female: ['Fatima', 'Layla', 'Noor', 'Elif', 'Zeynep', 'Shirin', 'Leila', 'Mariana', 'Camila', 'Hana'],
    male: ['Ahmad', 'Omar', 'Yusuf', 'Mehmet', 'Hasan', 'Kawa', 'Reza', 'Dariush', 'Carlos', 'Diego'],
    family: [
      'Al-Sayed', 'Haddad', 'Mansour', 'Yılmaz', 'Demir', 'Kaya', 'Ahmadi', 'Hosseini', 'Rostami',
      'Rodríguez', 'Gómez', 'Salih', 'Karimi', 'Aziz',
    ],
  },
};

/**
 * Which naming traditions go with each ethnic category. Mixed categories draw the
 * given and family names independently from their heritages; "Not stated" can be
 * anyone, so it leans on the overall population mix.
 */
export const ANY_BACKGROUND: readonly (readonly [NamePoolKey, number])[] = [
  ['british', 16],
  ['europe', 2],
  ['irish', 1],
  ['indian', 1],
  ['pakistani', 1],
  ['african', 1],
  ['other', 1],
];

export const NAME_POOLS_BY_ETHNICITY: Readonly<Record<string, readonly (readonly [NamePoolKey, number])[]>> =
  {
    A: [['british', 1]],
    B: [
      ['irish', 4],
      ['british', 1],
    ],
    C: [['europe', 1]],
    D: [
      ['british', 1],
      ['caribbean', 1],
    ],
    E: [
      ['british', 1],
      ['african', 1],
    ],
    F: [
      ['british', 2],
      ['indian', 1],
      ['pakistani', 1],
      ['chinese', 1],
    ],
    G: [
      ['british', 2],
      ['europe', 1],
      ['caribbean', 1],
      ['other', 1],
    ],
    H: [['indian', 1]],
    J: [['pakistani', 1]],
    K: [['bangladeshi', 1]],
    L: [['otherAsian', 1]],
    M: [['caribbean', 1]],
    N: [['african', 1]],
    P: [
      ['caribbean', 1],
      ['african', 1],
    ],
    R: [['chinese', 1]],
    S: [['other', 1]],
    Z: ANY_BACKGROUND,
  };
