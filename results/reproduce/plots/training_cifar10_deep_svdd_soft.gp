set terminal pngcairo size 900,560 enhanced font 'DejaVu Sans,10'
set output 'training_cifar10_deep_svdd_soft.png'
$S0 << EOD
1 154.51483917236328
2 60.45457077026367
3 30.77207851409912
4 24.585455894470215
EOD
$S1 << EOD
1 2226.87109375
2 442.4895935058594
3 663.7775650024414
EOD
set title "CIFAR-10: deep\\_svdd\\_soft training loss per epoch, seed 1"
set xlabel "epoch"
set ylabel "mean batch loss"
set grid
set key outside right
set logscale y

plot $S0 using 1:2 with lines lw 2 title "class 5 autoencoder", $S1 using 1:2 with lines lw 2 title "class 5 φ"

unset output
reset
set terminal svg size 900,560 enhanced font 'DejaVu Sans,10' background rgb 'white'
set output 'training_cifar10_deep_svdd_soft.svg'
$S0 << EOD
1 154.51483917236328
2 60.45457077026367
3 30.77207851409912
4 24.585455894470215
EOD
$S1 << EOD
1 2226.87109375
2 442.4895935058594
3 663.7775650024414
EOD
set title "CIFAR-10: deep\\_svdd\\_soft training loss per epoch, seed 1"
set xlabel "epoch"
set ylabel "mean batch loss"
set grid
set key outside right
set logscale y

plot $S0 using 1:2 with lines lw 2 title "class 5 autoencoder", $S1 using 1:2 with lines lw 2 title "class 5 φ"

unset output
reset
